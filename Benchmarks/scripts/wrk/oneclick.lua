-- POST /u/{link} with List-Unsubscribe=One-Click (RFC 8058): what a mailbox provider sends when a
-- person presses "unsubscribe". Each thread posts its own share of the links in LINKS (one sealed
-- link per line, each used once), so every request records a new opt-out, durably, before its 200.
local file = os.getenv("LINKS")
local threads = {}
local body = "List-Unsubscribe=One-Click"
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }

function setup(thread)
    thread:set("index", #threads)
    table.insert(threads, thread)
    for _, t in ipairs(threads) do t:set("count", #threads) end
end

function init(args)
    links = {}
    local n = 0
    for line in io.lines(file) do
        if n % count == index then table.insert(links, line) end
        n = n + 1
    end
    next_link = 0
end

function request()
    next_link = next_link + 1
    if next_link > #links then
        -- Out of fresh links: repeats are answered without a write (wrk's figures then overstate).
        io.stderr:write("oneclick.lua: links exhausted; give more (LINKS_COUNT)\n")
        next_link = 1
    end
    return wrk.format("POST", "/u/" .. links[next_link], headers, body)
end
