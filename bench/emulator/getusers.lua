-- wrk script: GetUsers (count=20) as an urlencoded POST with a bearer JWT from $TOKEN.
wrk.method = "POST"
wrk.body = "application_id=1&count=20"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
