-- POST /v1/events: one new event per request (unique ids), for a random contact: the write a CRM
-- or a send platform makes for each sale, consent, send or opt-out. Each answer means on disk.
local contacts = tonumber(os.getenv("CONTACTS") or "1000000")
local token = os.getenv("TOKEN")
local run = os.getenv("RUN") or tostring(os.time())
local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }
local counter = 0

function setup(thread)
    thread:set("tid", tostring(math.random(1, 1000000000)))
end

function request()
    counter = counter + 1
    local body = string.format(
        '{"contact":"c%d","id":"load-%s-%s-%d","type":"opt_out","at":"2026-11-01T00:00:00Z","channels":["email"],"via":"one_click"}',
        math.random(0, contacts - 1), run, tid, counter)
    return wrk.format("POST", "/v1/events", headers, body)
end
