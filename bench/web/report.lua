-- wrk script for bench/web: cycles through the requests listed in $BENCH_REQUESTS (one a
-- line: METHOD<TAB>PATH<TAB>BODY<TAB>Header: value<TAB>...), counts responses whose status is
-- not $BENCH_EXPECT, and prints one "BENCH key=value ..." line when done.

local threads = {}

function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end

local function fields_of(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    table.insert(fields, field)
  end
  return fields
end

local function parse(line)
  local fields = fields_of(line)
  local headers = {}
  for i = 4, #fields do
    local name, value = fields[i]:match("^([^:]+):%s*(.*)$")
    headers[name] = value
  end
  local body = fields[3] ~= "" and fields[3] or nil
  return wrk.format(fields[1], fields[2], headers, body)
end

function init(args)
  expected = tonumber(os.getenv("BENCH_EXPECT"))
  prepared = {}
  for line in io.lines(os.getenv("BENCH_REQUESTS")) do
    table.insert(prepared, parse(line))
  end
  position = offset
  unexpected = 0
end

function request()
  position = position % #prepared + 1
  return prepared[position]
end

function response(status, headers, body)
  if status ~= expected then
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  local wrong = 0
  for _, thread in ipairs(threads) do
    wrong = wrong + thread:get("unexpected")
  end
  local errors = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d socket_errors=%d unexpected=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.connect + errors.read + errors.write + errors.timeout, wrong
  ))
end
