-- POST /v1/decisions for a random contact among CONTACTS (c0 ... c<CONTACTS-1>): retail email
-- marketing of a product, as a send platform asks before each message.
local contacts = tonumber(os.getenv("CONTACTS") or "1000000")
local token = os.getenv("TOKEN")
local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }
local channels = { "email", "sms", "post", "live_call" }

function setup(thread)
    thread:set("seed", math.random(1, 1000000))
end

function init(args)
    math.randomseed(seed)
end

function request()
    local body = string.format(
        '{"contact":"c%d","message":{"from":"acme-retail","channel":"%s","purpose":"marketing","products":["p%d"]}}',
        math.random(0, contacts - 1), channels[math.random(1, 4)], math.random(0, 19))
    return wrk.format("POST", "/v1/decisions", headers, body)
end
