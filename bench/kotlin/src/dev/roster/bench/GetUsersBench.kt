package dev.roster.bench

import com.fasterxml.jackson.databind.JsonNode
import com.fasterxml.jackson.databind.ObjectMapper
import dev.roster.ClientOptions
import dev.roster.GetUsers
import dev.roster.HttpRequest
import dev.roster.HttpResponse
import dev.roster.HttpTransport
import dev.roster.InstantSleeper
import dev.roster.Secret
import dev.roster.UserPage
import dev.roster.Voximplant
import dev.roster.VoximplantUsers
import kotlinx.coroutines.runBlocking
import org.json.JSONObject
import org.openjdk.jmh.annotations.Benchmark
import org.openjdk.jmh.annotations.BenchmarkMode
import org.openjdk.jmh.annotations.Mode
import org.openjdk.jmh.annotations.OutputTimeUnit
import org.openjdk.jmh.annotations.Scope
import org.openjdk.jmh.annotations.Setup
import org.openjdk.jmh.annotations.State
import java.util.concurrent.TimeUnit

/**
 * One call of each contender on the same 100-user GetUsers answer, for JMH (run by [main]).
 *
 * `binding` is the whole per-call cost a Kotlin app pays: the parameters lowered to Rust,
 * validated and encoded by the core, the call machine, the foreign stub transport answering at
 * once, the body crossing back, the core's typed parse and the lifting of the records into
 * Kotlin (BigDecimal money, Instant times, lists). `jackson` and `orgJson` only parse the same
 * bytes into a tree. Open classes: JMH's generated harness subclasses them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
open class GetUsersBench {
    private lateinit var users: VoximplantUsers
    private lateinit var params: GetUsers
    private lateinit var body: ByteArray
    private lateinit var text: String
    private val mapper = ObjectMapper()

    @Setup
    fun setUp() {
        body = getUsersBody(100)
        text = String(body)
        val answer = HttpResponse(200u, emptyList(), body)
        val stub = object : HttpTransport {
            override suspend fun send(request: HttpRequest): HttpResponse = answer
        }
        val options = ClientOptions(baseUrl = "https://api.voximplant.com", seed = 1uL)
        users = Voximplant.withToken(Secret("bench-token"), stub, InstantSleeper(), options).users()
        params = GetUsers(applicationId = 1, withSkills = true, withQueues = true)
        // A wrong answer would make every figure meaningless: check each contender once.
        check(binding().items.size == 100)
        check(jackson()["result"].size() == 100)
        check(orgJson().getJSONArray("result").length() == 100)
    }

    @Benchmark
    fun binding(): UserPage = runBlocking { users.getUsers(params) }

    @Benchmark
    fun jackson(): JsonNode = mapper.readTree(body)

    @Benchmark
    fun orgJson(): JSONObject = JSONObject(text)
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
