-- wrk summary in machine-readable form for run.sh: bytes read, duration, requests, errors.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT bytes=%d duration_us=%d requests=%d errors=%d status_errors=%d\n",
    summary.bytes, summary.duration, summary.requests, e.connect + e.read + e.write + e.timeout, e.status))
end
