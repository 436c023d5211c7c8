package dev.roster.bench

import com.fasterxml.jackson.databind.ObjectMapper
import dev.roster.ClientOptions
import dev.roster.GetUsers
import dev.roster.HttpRequest
import dev.roster.HttpResponse
import dev.roster.HttpTransport
import dev.roster.InstantSleeper
import dev.roster.Secret
import dev.roster.Voximplant
import kotlinx.coroutines.runBlocking
import org.json.JSONObject

/**
 * Per-call cost of a 100-user GetUsers through the binding (request built and validated in
 * Rust, the call machine, a stub transport answering at once, the answer parsed in Rust and
 * lifted into Kotlin records with BigDecimal money and Instant times) against parsing the same
 * body with Jackson (`readTree`) and org.json, side by side in one JVM. Run: bench/kotlin/run.sh.
 */
fun main() {
    val body = getUsersBody(100)
    val answer = HttpResponse(200u, emptyList(), body)
    val stub = object : HttpTransport {
        override suspend fun send(request: HttpRequest): HttpResponse = answer
    }
    val vox = Voximplant.withToken(
        Secret("bench-token"), stub, InstantSleeper(), ClientOptions(baseUrl = "https://api.voximplant.com", seed = 1uL),
    )
    val users = vox.users()
    val params = GetUsers(applicationId = 1, withSkills = true, withQueues = true)
    val mapper = ObjectMapper()
    val text = String(body)

    val binding = measure("binding: getUsers, stub transport") {
        runBlocking { check(users.getUsers(params).items.size == 100) }
    }
    val jackson = measure("Jackson readTree") { check(mapper.readTree(body)["result"].size() == 100) }
    val orgJson = measure("org.json JSONObject") { check(JSONObject(text).getJSONArray("result").length() == 100) }

    println("body: ${body.size} bytes, 100 users")
    println("binding / Jackson  = %.2fx (target <= 3x)".format(binding / jackson))
    println("binding / org.json = %.2fx".format(binding / orgJson))
}

/** Median microseconds per call over rounds of [batch] calls, after a warm-up. */
private fun measure(name: String, batch: Int = 200, rounds: Int = 15, op: () -> Unit): Double {
    repeat(3000) { op() }
    val perCall = (1..rounds).map {
        val start = System.nanoTime()
        repeat(batch) { op() }
        (System.nanoTime() - start) / 1000.0 / batch
    }.sorted()
    val median = perCall[rounds / 2]
    println("%-36s median %8.1f µs/call  (min %.1f, max %.1f)".format(name, median, perCall.first(), perCall.last()))
    return median
}

/** The GetUsers answer of core/benches/core.rs: with skills, queues and applications. */
fun getUsersBody(n: Int): ByteArray {
    val users = (0 until n).joinToString(",") { i ->
        val id = 1000 + i
        """{"user_id":$id,"user_name":"agent${"%04d".format(i)}","user_display_name":"Agent Number $i","user_active":true,""" +
            """"parent_accounting":false,"live_balance":$i.75,"balance":$i.5,"fixed_balance":0.0,"user_custom_data":"team=support;floor=2",""" +
            """"frozen":false,"acd_status":"READY","acd_status_change_time":"2024-04-20 09:15:42","created":"2023-01-05 10:00:00",""" +
            """"modified":"2024-04-20 09:15:42","applications":[{"application_id":10,"application_name":"support.acme.voximplant.com",""" +
            """"modified":"2024-01-01 00:00:00"}],"skills":[{"skill_id":1,"skill_name":"english"},{"skill_id":2,"skill_name":"billing"}],""" +
            """"acd_queues":[{"acd_queue_id":5,"acd_queue_name":"tier1","auto_link":true}]}"""
    }
    return """{"result":[$users],"total_count":$n,"count":$n}""".toByteArray()
}
