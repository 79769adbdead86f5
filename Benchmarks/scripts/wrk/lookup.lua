-- POST /v1/contacts/lookup naming a random contact by id: an authenticated POST with a small JSON
-- body that the server parses and answers without reading the ledger. It separates what any
-- authenticated JSON POST costs on this stack from what a decision adds.
local contacts = tonumber(os.getenv("CONTACTS") or "1000000")
local token = os.getenv("TOKEN")
local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }

function setup(thread)
    thread:set("seed", math.random(1, 1000000))
end

function init(args)
    math.randomseed(seed)
end

function request()
    return wrk.format("POST", "/v1/contacts/lookup", headers, string.format('{"contact":"c%d"}', math.random(0, contacts - 1)))
end
