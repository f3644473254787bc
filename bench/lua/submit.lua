-- POST a 20-question response per request, each with a new submission_id.
-- Arguments: join code, csrf_token, session cookie, run prefix (8 hex), bodies file,
-- and optionally a mean think time in ms (each connection then waits 0..2x that
-- between its posts, as people do; without it, connections post back to back).
-- The bodies file is a Lua chunk returning a list of URL-encoded answer sets.
local counter = 0
local think = 0
local threads = {}
local code, token, cookie, prefix, bodies, thread_id

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  code, token, cookie, prefix = args[1], args[2], args[3], args[4]
  bodies = dofile(args[5])
  think = tonumber(args[6] or "0")
  thread_id = id
  math.randomseed(os.time() * 1000 + thread_id)
  wrk.method = "POST"
  wrk.path = "/j/" .. code
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = cookie
end

function request()
  counter = counter + 1
  local submission = string.format("%s-%04x-4%03x-a%03x-%012x", prefix, thread_id,
    math.random(0, 4095), math.random(0, 4095), counter)
  local body = "csrf_token=" .. token .. "&submission_id=" .. submission .. "&"
    .. bodies[math.random(#bodies)]
  return wrk.format(nil, nil, nil, body)
end

function delay()
  if think > 0 then
    return math.random(0, 2 * think)
  end
  return 0
end
