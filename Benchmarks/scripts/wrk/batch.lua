-- POST /v1/events/batch: BATCH new events per request (NDJSON, one transaction), for random contacts.
local contacts = tonumber(os.getenv("CONTACTS") or "1000000")
local size = tonumber(os.getenv("BATCH") or "100")
local token = os.getenv("TOKEN")
local run = os.getenv("RUN") or tostring(os.time())
local headers = { ["Content-Type"] = "application/x-ndjson", ["Authorization"] = "Bearer " .. token }
local counter = 0

function setup(thread)
    thread:set("tid", tostring(math.random(1, 1000000000)))
end

function request()
    local lines = {}
    for i = 1, size do
        counter = counter + 1
        lines[i] = string.format(
            '{"contact":"c%d","id":"batch-%s-%s-%d","type":"marketing_sent","at":"2026-11-01T00:00:00Z","by":"acme-retail","channel":"email","products":["p3"]}',
            math.random(0, contacts - 1), run, tid, counter)
    end
    return wrk.format("POST", "/v1/events/batch", headers, table.concat(lines, "\n"))
end
