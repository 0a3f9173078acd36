-- POST /api/v1/contact/submit with a realistic form, a new name and email each time.
-- wrk -t2 -c16 -d20s -s bench/wrk/submit.lua http://127.0.0.1:5080/api/v1/contact/submit
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local n = 0
request = function()
  n = n + 1
  local body = string.format('{"name":"Load Tester %d","email":"tester%d@example.com","subject":"Refund request for order %d","message":"Hello, I ordered a blue widget last week and it arrived broken. The box was damaged and the widget is cracked along the side. Could you please send a replacement or refund the order? My order number is %d. Thank you very much for your help, I look forward to hearing from you soon.","category":"general"}', n, n, n, n)
  return wrk.format(nil, nil, nil, body)
end
