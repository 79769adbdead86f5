-- GET /ping with a request built per call, as decide.lua builds its own: the load generator then
-- does the same work per request in both runs, and the ratio between them is the server's.
local contacts = tonumber(os.getenv("CONTACTS") or "1000000")
local channels = { "email", "sms", "post", "live_call" }

function setup(thread)
    thread:set("seed", math.random(1, 1000000))
end

function init(args)
    math.randomseed(seed)
end

function request()
    local path = string.format("/ping?c=c%d&channel=%s&p=p%d", math.random(0, contacts - 1), channels[math.random(1, 4)], math.random(0, 19))
    return wrk.format("GET", path)
end
