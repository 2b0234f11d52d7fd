-- wrk script of bench/run.py: sends, in rotation, the requests that run.py wrote to
-- the file named by BENCH_WRK_REQUESTS, counts every response by status code, and
-- writes the run's figures as JSON to the file named by BENCH_WRK_RESULT.
--
-- The requests file, one item a line, fields separated by a tab:
--   H <name> <value>          a header sent with every request (cookies, origin)
--   R <method> <path> [body]  a request (a body is sent url-encoded)

local threads = {}

function setup(thread)
   thread:set("thread_number", #threads)
   table.insert(threads, thread)
end

local requests = {}
local position = 0
-- Global, so that done() can read each thread's counts with thread:get().
statuses = {}

function init(args)
   local headers = {}
   local items = {}
   for line in io.lines(os.getenv("BENCH_WRK_REQUESTS")) do
      local fields = {}
      for field in (line .. "\t"):gmatch("([^\t]*)\t") do
         table.insert(fields, field)
      end
      if fields[1] == "H" then
         headers[fields[2]] = fields[3]
      elseif fields[1] == "R" then
         table.insert(items, fields)
      end
   end
   for _, fields in ipairs(items) do
      local these = {}
      for name, value in pairs(headers) do
         these[name] = value
      end
      local body = fields[4]
      if body ~= nil and body ~= "" then
         these["Content-Type"] = "application/x-www-form-urlencoded"
      else
         body = nil
      end
      table.insert(requests, wrk.format(fields[2], fields[3], these, body))
   end
   -- Threads start at different places in the rotation.
   position = (thread_number * 7919) % #requests
end

function request()
   position = position % #requests + 1
   return requests[position]
end

function response(status, headers, body)
   local key = status
   -- A session that ended answers with a redirect to the sign-in page: an error.
   local location = headers["Location"] or headers["location"]
   if location and location:find("/accounts/sign%-in/") then
      key = "sign-in"
   end
   statuses[key] = (statuses[key] or 0) + 1
end

local function number(value)
   if value ~= value or value == math.huge or value == -math.huge then
      return "null"
   end
   return string.format("%.0f", value)
end

local function json_object(pairs_list)
   local parts = {}
   for _, pair in ipairs(pairs_list) do
      table.insert(parts, string.format("%q: %s", pair[1], pair[2]))
   end
   return "{" .. table.concat(parts, ", ") .. "}"
end

function done(summary, latency, requests_done)
   local totals = {}
   for _, thread in ipairs(threads) do
      local counted = thread:get("statuses") or {}
      for status, n in pairs(counted) do
         totals[status] = (totals[status] or 0) + n
      end
   end
   local status_pairs = {}
   for status, n in pairs(totals) do
      table.insert(status_pairs, { tostring(status), number(n) })
   end
   local errors = summary.errors
   local out = json_object({
      { "requests", number(summary.requests) },
      { "duration_us", number(summary.duration) },
      { "bytes", number(summary.bytes) },
      { "statuses", json_object(status_pairs) },
      { "socket_errors", json_object({
         { "connect", number(errors.connect) },
         { "read", number(errors.read) },
         { "write", number(errors.write) },
         { "timeout", number(errors.timeout) },
      }) },
      { "latency_us", json_object({
         { "p50", number(latency:percentile(50)) },
         { "p90", number(latency:percentile(90)) },
         { "p95", number(latency:percentile(95)) },
         { "p99", number(latency:percentile(99)) },
         { "max", number(latency.max) },
         { "mean", number(latency.mean) },
      }) },
   })
   local file = assert(io.open(os.getenv("BENCH_WRK_RESULT"), "w"))
   file:write(out, "\n")
   file:close()
end
