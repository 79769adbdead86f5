/// The HTML pages people reach from the links in messages, as Mustache templates. Written to work
/// without JavaScript, readable on a phone (one column, large touch targets), accessible (every
/// control labelled, fieldsets with legends, visible focus, text contrast above WCAG AA's 4.5:1).
/// Each page fills the `layout` parent's `content` block.
enum PageTemplates {
    static let all: [String: String] = [
        "layout": layout, "unsubscribe": unsubscribe, "unsubscribed": unsubscribed, "preferences": preferences,
        "saved": saved, "not_found": notFound,
    ]

    static let layout = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex, nofollow">
        <meta name="referrer" content="no-referrer">
        <link rel="icon" href="data:,">
        <title>{{$title}}Your choices{{/title}}</title>
        <style>
        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 17px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; background: #f4f5f7; }
        main { max-width: 36rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
        .card { background: #fff; border: 1px solid #d6d9de; border-radius: 12px; padding: 1.25rem; margin: 0 0 1rem; }
        h1 { font-size: 1.5rem; line-height: 1.25; margin: 0 0 .75rem; }
        h2, legend { font-size: 1.1rem; font-weight: 650; margin: 0 0 .5rem; padding: 0; }
        p { margin: 0 0 .75rem; }
        fieldset { border: 0; margin: 0; padding: 0; }
        .choice { display: flex; align-items: flex-start; gap: .75rem; padding: .6rem 0; border-top: 1px solid #eceef1; }
        .choice:first-of-type { border-top: 0; }
        .choice input { width: 1.4rem; height: 1.4rem; margin: .15rem 0 0; flex: none; accent-color: #0b5cad; }
        .choice label { flex: 1; cursor: pointer; }
        .hint { color: #4a4f57; font-size: .95rem; }
        select { width: 100%; font: inherit; padding: .6rem; border: 1px solid #767b83; border-radius: 8px; background: #fff; color: #1a1a1a; }
        label.block { display: block; font-weight: 600; margin: .5rem 0 .25rem; }
        button { font: inherit; font-weight: 650; min-height: 3rem; width: 100%; border-radius: 10px; border: 2px solid #0b5cad; cursor: pointer; padding: .6rem 1rem; }
        .primary { background: #0b5cad; color: #fff; }
        .danger { background: #fff; color: #a3161c; border-color: #a3161c; }
        button + button { margin-top: .75rem; }
        a { color: #0b5cad; }
        :focus-visible { outline: 3px solid #f2a900; outline-offset: 2px; }
        .notice { background: #eef6ee; border-color: #9cc79c; }
        ul.changes { padding-left: 1.25rem; margin: 0 0 .75rem; }
        footer { color: #4a4f57; font-size: .9rem; text-align: center; margin-top: 2rem; }
        @media (min-width: 48rem) { main { padding-top: 3rem; } button { width: auto; } button + button { margin: 0 0 0 .75rem; } }
        </style>
        </head>
        <body>
        <main id="main">
        {{$content}}{{/content}}
        <footer><p>Choices you make here are recorded with their date as proof of your wishes.</p></footer>
        </main>
        </body>
        </html>
        """

    static let unsubscribe = """
        {{<layout}}
        {{$title}}Unsubscribe from {{entity}}{{/title}}
        {{$content}}
        <div class="card">
        <h1>Unsubscribe from {{entity}}?</h1>
        <p>You will get no more marketing by {{channel}} from {{entity}}. Messages about orders or your account still reach you.</p>
        <form method="post" action="{{action}}">
        <input type="hidden" name="List-Unsubscribe" value="One-Click">
        <input type="hidden" name="source" value="page">
        <button type="submit" class="primary">Unsubscribe</button>
        </form>
        </div>
        <div class="card">
        <p>Would you rather hear less, or only about some things?</p>
        <p><a href="{{preferences}}">Choose what you get instead</a></p>
        </div>
        {{/content}}
        {{/layout}}
        """

    static let unsubscribed = """
        {{<layout}}
        {{$title}}You are unsubscribed{{/title}}
        {{$content}}
        <div class="card notice" role="status">
        <h1>You are unsubscribed</h1>
        <p>{{entity}} will send you no more marketing by {{channel}}. This took effect at once.</p>
        </div>
        <div class="card">
        <p><a href="{{preferences}}">See or change all your choices</a></p>
        </div>
        {{/content}}
        {{/layout}}
        """

    static let preferences = """
        {{<layout}}
        {{$title}}Your choices for {{entity}}{{/title}}
        {{$content}}
        <h1>Your choices for {{entity}}</h1>
        {{#pausedUntil}}<div class="card notice" role="status"><p>Marketing from {{entity}} is paused until {{pausedUntil}}. Saving a channel below as on ends the pause.</p></div>{{/pausedUntil}}
        {{#everything}}<div class="card notice" role="status"><p>You have opted out of all marketing. Turn a channel on below to hear from {{entity}} again.</p></div>{{/everything}}
        <form method="post" action="{{action}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <div class="card">
        <fieldset>
        <legend>How {{entity}} may contact you with offers and news</legend>
        {{#channels}}
        <div class="choice"><input type="checkbox" id="channel-{{id}}" name="channel" value="{{id}}"{{#checked}} checked{{/checked}}><label for="channel-{{id}}">{{label}}</label></div>
        {{/channels}}
        </fieldset>
        </div>
        {{#hasCategories}}
        <div class="card">
        <fieldset>
        <legend>What you want to hear about</legend>
        {{#categories}}
        <div class="choice"><input type="checkbox" id="category-{{index}}" name="category" value="{{key}}"{{#checked}} checked{{/checked}}><label for="category-{{index}}">{{label}}</label></div>
        {{/categories}}
        </fieldset>
        </div>
        {{/hasCategories}}
        <div class="card">
        <label class="block" for="frequency">How often</label>
        <select id="frequency" name="frequency">
        {{#frequencies}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/frequencies}}
        </select>
        <label class="block" for="pause">Take a break</label>
        <select id="pause" name="pause">
        <option value="0" selected>No break</option>
        {{#pauses}}<option value="{{days}}">Pause all marketing for {{label}}</option>{{/pauses}}
        </select>
        </div>
        <div class="card">
        <label class="block" for="reason">Tell us why (optional)</label>
        <select id="reason" name="reason">
        <option value="" selected>I'd rather not say</option>
        {{#reasons}}<option value="{{code}}">{{label}}</option>{{/reasons}}
        </select>
        </div>
        <button type="submit" name="action" value="save" class="primary">Save my choices</button>
        <button type="submit" name="action" value="everything" class="danger">Unsubscribe from all marketing</button>
        </form>
        {{/content}}
        {{/layout}}
        """

    static let saved = """
        {{<layout}}
        {{$title}}Your choices are saved{{/title}}
        {{$content}}
        <div class="card notice" role="status">
        <h1>Your choices are saved</h1>
        {{#hasChanges}}<ul class="changes">{{#changes}}<li>{{.}}</li>{{/changes}}</ul>{{/hasChanges}}
        {{^hasChanges}}<p>Nothing changed.</p>{{/hasChanges}}
        <p>They took effect at once.</p>
        </div>
        <div class="card"><p><a href="{{preferences}}">Back to your choices</a></p></div>
        {{/content}}
        {{/layout}}
        """

    static let notFound = """
        {{<layout}}
        {{$title}}Link not recognised{{/title}}
        {{$content}}
        <div class="card">
        <h1>This link is not recognised</h1>
        <p>It may be incomplete or too old. To stop messages, reply to one of them or contact the sender.</p>
        </div>
        {{/content}}
        {{/layout}}
        """
}
