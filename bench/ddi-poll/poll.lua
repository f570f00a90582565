-- wrk script: every request polls as a different device. Reads "controllerId token" lines from
-- the file named by POLL_PAIRS (written by seed.py) and rotates over them; each wrk thread starts
-- at a different offset so threads do not poll the same device at the same moment.
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("thread_no", counter)
end

local requests = {}
local next_index = 1

function init(args)
  local file = os.getenv("POLL_PAIRS") or "pairs.txt"
  for line in io.lines(file) do
    local id, token = line:match("^(%S+)%s+(%S+)$")
    if id then
      requests[#requests + 1] = wrk.format("GET", "/DEFAULT/controller/v1/" .. id,
        { ["Authorization"] = "TargetToken " .. token, ["Accept"] = "application/hal+json" })
    end
  end
  if #requests == 0 then
    error("no (controllerId, token) pairs in " .. file)
  end
  -- The thread count is not visible inside a thread's Lua state: run.sh passes it in POLL_THREADS.
  -- Threads start evenly spread over the devices, so a warm-up of one poll per device covers them all.
  local threads = tonumber(os.getenv("POLL_THREADS") or "2")
  next_index = ((thread_no - 1) * math.floor(#requests / threads)) % #requests + 1
end

function request()
  local r = requests[next_index]
  next_index = next_index % #requests + 1
  return r
end

function done(summary, latency, requests_)
  local non2xx = summary.errors.status
  local socket = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, non2xx, socket))
end
