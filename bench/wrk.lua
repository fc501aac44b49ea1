-- Load script for wrk: POSTs GraphQL bodies read from a file, one JSON body per line.
--
-- BENCH_BODIES  file of request bodies (one per line)
-- BENCH_TOKEN   bearer token
-- BENCH_MODE    "cycle"  each request takes the next body of the file, round-robin;
--               "flip"   lifecycle on distinct clients: line 1 is the suspend body and
--                        line 2 the unsuspend body, each with the placeholder __ID__;
--                        BENCH_IDS is a file of ACTIVE client ids, split between the
--                        threads; each request takes the next client with no request in
--                        flight and suspends it if its last answer said ACTIVE, else
--                        unsuspends it (a request wrk drew but never sent leaves its
--                        client out, instead of asking for an impossible transition);
--               "shared" lifecycle on one client with expectedVersion: line 1 suspend,
--                        line 2 unsuspend, with __VERSION__; each thread follows the
--                        version and status its responses report.
-- BENCH_OUT     file where the summary is written as JSON.
--
-- In "flip" and "shared" mode every response is read: a body with "errors" counts as
-- an error, except a VERSION_CONFLICT in "shared" mode, which counts as a conflict. In
-- "cycle" mode wrk does not hand bodies to Lua at all (copying each page into a Lua
-- string cost wrk as much CPU as the server spent answering it, on the same two
-- cores): bench/run counts those requests' GraphQL errors from the server's /metrics.
-- With a single body, wrk builds the request itself once per thread; with several, each
-- thread formats them once, in init, and cycles through the formatted requests.

local threads = {}
local thread_no = 0

local function read_lines(path)
  local lines = {}
  for line in io.lines(path) do
    if #line > 0 then
      lines[#lines + 1] = line
    end
  end
  return lines
end

function setup(thread)
  thread:set("id", thread_no)
  thread_no = thread_no + 1
  threads[#threads + 1] = thread
end

mode = os.getenv("BENCH_MODE") or "cycle"
bodies = read_lines(os.getenv("BENCH_BODIES"))
wrk.method = "POST"
wrk.body = bodies[1]
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")

function init(args)
  next_body = 1
  formatted = {}
  if mode == "cycle" then
    for i = 1, #bodies do
      formatted[i] = wrk.format(nil, nil, nil, bodies[i])
    end
  end
  ok = 0
  failed = 0
  conflicts = 0
  first_error = ""
  if mode == "flip" then
    local all = read_lines(os.getenv("BENCH_IDS"))
    local parts = tonumber(os.getenv("BENCH_THREADS") or "1")
    ids = {}
    for i = 1, #all do
      if (i - 1) % parts == id then
        ids[#ids + 1] = all[i]
      end
    end
    k = 0
    suspended_ids = {}
    in_flight = {}
  elseif mode == "shared" then
    base = tonumber(os.getenv("BENCH_VERSION"))
    version = base
    suspended = false
  end
end

local function next_request()
  local body
  if mode == "flip" then
    local n = #ids
    local target = nil
    for _ = 1, n do
      local candidate = ids[(k % n) + 1]
      k = k + 1
      if not in_flight[candidate] then
        target = candidate
        break
      end
    end
    target = target or ids[(k % n) + 1]
    in_flight[target] = true
    local template = suspended_ids[target] and bodies[2] or bodies[1]
    body = template:gsub("__ID__", target)
  elseif mode == "shared" then
    local template = suspended and bodies[2] or bodies[1]
    body = template:gsub("__VERSION__", tostring(version))
  else
    -- Formatted once per thread (in init): formatting each request in Lua cost wrk
    -- CPU that the fixed-request scenarios do not spend, on the server's two cores.
    local req = formatted[next_body]
    next_body = next_body % #bodies + 1
    return req
  end
  return wrk.format(nil, nil, nil, body)
end

local function read_response(status, headers, body)
  if status ~= 200 or body:find('"errors"', 1, true) then
    if mode == "shared" and body:find("VERSION_CONFLICT", 1, true) then
      conflicts = conflicts + 1
      local current = body:match('"currentVersion":(%d+)')
      if current and tonumber(current) > version then
        -- Every applied step is one version, and the client starts ACTIVE at
        -- BENCH_VERSION: an odd distance from it means SUSPENDED.
        version = tonumber(current)
        suspended = (version - base) % 2 == 1
      end
    else
      failed = failed + 1
      if first_error == "" then
        first_error = ("HTTP " .. status .. " " .. string.sub(body, 1, 300)):gsub("[%c\\]", " ")
      end
    end
    return
  end
  ok = ok + 1
  if mode == "flip" then
    local target = body:match('"id":"([%w%-]+)"')
    if target then
      in_flight[target] = nil
      suspended_ids[target] = body:find('"status":"SUSPENDED"', 1, true) ~= nil
    end
  end
  if mode == "shared" then
    local v = body:match('"version":(%d+)')
    local s = body:match('"status":"(%u+)"')
    if v and tonumber(v) >= version then
      version = tonumber(v)
      suspended = (s == "SUSPENDED")
    end
  end
end

if mode ~= "cycle" or #bodies > 1 then
  request = next_request
end
if mode ~= "cycle" then
  response = read_response
end

function done(summary, latency, requests)
  local total_ok, total_failed, total_conflicts, err = 0, 0, 0, ""
  for _, t in ipairs(threads) do
    total_ok = total_ok + t:get("ok")
    total_failed = total_failed + t:get("failed")
    total_conflicts = total_conflicts + t:get("conflicts")
    if err == "" then
      err = t:get("first_error")
    end
  end
  local e = summary.errors
  local transport = e.connect + e.read + e.write + e.timeout
  local out = io.open(os.getenv("BENCH_OUT"), "w")
  out:write(string.format(
    '{"requests":%d,"duration_us":%d,"ok":%d,"failed":%d,"conflicts":%d,"transport_errors":%d,'
      .. '"status_errors":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,"first_error":%q}\n',
    summary.requests, summary.duration, total_ok, total_failed, total_conflicts, transport,
    e.status, latency:percentile(50), latency:percentile(99), latency.max, err))
  out:close()
end
