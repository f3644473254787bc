-- POST a 20-question response per request, each with a new submission_id.
-- Arguments: join code, csrf_token, session cookie, run prefix (8 hex), bodies file.
-- The bodies file is a Lua chunk returning a list of URL-encoded answer sets.
local counter = 0
local threads = {}
local code, token, cookie, prefix, bodies, thread_id

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  code, token, cookie, prefix = args[1], args[2], args[3], args[4]
  bodies = dofile(args[5])
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
