package dev.roster

import com.fasterxml.jackson.databind.JsonNode
import com.fasterxml.jackson.databind.node.ArrayNode
import com.fasterxml.jackson.databind.node.ObjectNode
import com.fasterxml.jackson.databind.node.TextNode
import java.io.File
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicNode
import org.junit.jupiter.api.DynamicTest.dynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory

/**
 * The shared bad-input table (`tests/hostile/cases.json`, format in its README) through the
 * Kotlin API: every case whose `where` names `kotlin` goes through the client's call by name
 * (`call`, `callWith`) and, for a paged list method, the by-name pager (`pager(...).next()`),
 * on clients whose transport fails the test if anything reaches it. Each must be refused with
 * [RosterException.Validation] naming the table's parameter and rule. A case this runner cannot
 * build fails; the last test checks that every applicable case ran.
 */
class HostileTableTest {
    private val table: JsonNode = json.readTree(File(repo, "tests/hostile/cases.json"))

    private fun applies(case: JsonNode): Boolean =
        case["where"]?.any { it.asText() == "kotlin" } ?: true

    @TestFactory
    fun cases(): List<DynamicNode> {
        val cases = table["cases"].toList()
        val ran = AtomicInteger()
        val applicable = cases.filter(::applies)
        val tests = applicable.map { case ->
            dynamicTest(case["name"].asText()) {
                ran.incrementAndGet()
                val problems = run(case)
                check(problems.isEmpty()) { "${case["name"].asText()}:\n  - " + problems.joinToString("\n  - ") }
            }
        }
        val count = dynamicTest("every case for kotlin ran") {
            assertTrue(cases.size >= 80, "the table holds ${cases.size} cases")
            // 93 cases are JSON; the three lone surrogates are built here as Kotlin strings.
            assertTrue(applicable.size >= 96, "only ${applicable.size} cases name kotlin")
            assertEquals(applicable.size, ran.get(), "cases run")
        }
        return tests + count
    }

    /**
     * Fails the test when anything is sent: every case must be refused before the wire. It
     * keeps what it was sent (each case checks that nothing was) and throws an `Exception`,
     * which ends the call as a transport error; an `Error` thrown from a transport is not
     * handed back to Rust by uniffi's generated code, and the call would hang.
     */
    private class NothingSent : HttpTransport {
        val sent = mutableListOf<String>()

        override suspend fun send(request: HttpRequest): HttpResponse {
            synchronized(sent) { sent += request.toString() }
            throw IllegalStateException("a refused call sent $request")
        }
    }

    private class Clients(val transport: NothingSent) {
        val vox = Voximplant(
            VoximplantAuth.Token(Secret("t0ken")), transport, InstantSleeper(),
            ClientOptions(baseUrl = "https://vox.test", retry = oneAttempt, seed = 1uL, binding = "kotlin"),
        )
        val voiso = Voiso(
            Secret("k3y"), transport, InstantSleeper(),
            ClientOptions(baseUrl = "https://voiso.test", retry = oneAttempt, seed = 1uL, binding = "kotlin"),
        )
    }

    /** What went wrong with [case]; empty when every path refused it as the table says. */
    private fun run(case: JsonNode): List<String> {
        val method = case["method"].asText()
        val params = paramsText(case["params"])
        val want = case["error"]
        val clients = Clients(NothingSent())
        val voximplant = case["api"].asText() == "voximplant"
        val paths = mutableListOf<Pair<String, suspend () -> Any?>>(
            "call" to { if (voximplant) clients.vox.call(method, params) else clients.voiso.call(method, params) },
            "callWith" to {
                val retry = RetrySettings(maxAttempts = 2u)
                if (voximplant) clients.vox.callWith(method, params, retry) else clients.voiso.callWith(method, params, retry)
            },
        )
        if (voximplant && method in PAGED) {
            paths += "pager" to { clients.vox.pager(method, params).next() }
        }
        val problems = mutableListOf<String>()
        for ((how, path) in paths) {
            val thrown = try {
                runBlocking { path() }
                null
            } catch (e: Throwable) {
                e
            }
            when (thrown) {
                null -> problems += "$how was accepted"
                is RosterException -> {
                    val got = errorFields(thrown)
                    for (key in listOf("code", "parameter", "rule")) {
                        val w = want[key]?.asText() ?: continue
                        if (got[key] != w) problems += "$how: $key want $w, got ${got[key]} (${thrown.message})"
                    }
                }
                else -> problems += "$how threw ${thrown.javaClass.name}: ${thrown.message}"
            }
        }
        if (clients.transport.sent.isNotEmpty()) problems += "sent ${clients.transport.sent}"
        return problems
    }

    /**
     * A lone surrogate in a generated record's string (or list of strings, or [Secret]) is
     * refused as in a call by name: the core's validation error naming the parameter, nothing
     * sent. Never uniffi's untyped `MalformedInputException`, never `?` on the wire.
     */
    @Test
    fun `a lone surrogate in a typed record is refused naming its parameter`() {
        val clients = Clients(NothingSent())
        val users = clients.vox.users
        val cases = listOf<Pair<String, suspend () -> Any?>>(
            "user_display_name" to {
                users.addUser(AddUser(userName = "jdoe", userDisplayName = "a\uDCFFb", userPassword = Secret("S3cure!pass"), applicationId = 1))
            },
            "user_password" to {
                users.addUser(AddUser(userName = "jdoe", userDisplayName = "J", userPassword = Secret("S3cure!\uDCFFpass"), applicationId = 1))
            },
            "application_name" to {
                users.addUser(AddUser(userName = "jdoe", userDisplayName = "J", userPassword = Secret("S3cure!pass"), applicationName = "app\uD800"))
            },
            "skill_name" to { clients.vox.skills.addSkill(AddSkill(skillName = "\uD800")) },
            "user_name" to { users.delUser(DelUser(userName = listOf("ann", "b\uDCFF"), applicationId = 1)) },
            "application_name" to { users.getUsersPager(GetUsers(applicationName = "\uDCFF")).next() },
        )
        for ((parameter, call) in cases) {
            val e = runCatching { runBlocking { call() } }.exceptionOrNull()
            check(e is RosterException.Validation) { "$parameter: ${e?.javaClass?.name}: ${e?.message}" }
            assertEquals(parameter to "type", e.parameter to e.rule, e.message)
            assertTrue(e.message!!.contains("lone surrogate"), e.message)
        }
        assertEquals(emptyList<String>(), clients.transport.sent)
    }

    /** Text with a surrogate pair (an emoji) is not touched: only a lone half is refused. */
    @Test
    fun `surrogate pairs cross whole`() = runBlocking {
        val stub = StubTransport { response(200, """{"result":1,"user_id":7}""") }
        val vox = Voximplant(
            VoximplantAuth.Token(Secret("t0ken")), stub, InstantSleeper(),
            ClientOptions(baseUrl = "https://vox.test", retry = oneAttempt, seed = 1uL),
        )
        vox.users.addUser(AddUser(userName = "jdoe", userDisplayName = "Ana \uD83D\uDE00 é", userPassword = Secret("S3cure!pass"), applicationId = 1))
        vox.call("AddUser", """{"user_name":"jdoe2","user_display_name":"Bo ${"\uD83D\uDE00"}","user_password":"S3cure!pass","application_id":1}""")
        val sent = stub.sent.map { decodeForm(String(it.body()))["user_display_name"] }
        assertEquals(listOf("Ana \uD83D\uDE00 é", "Bo \uD83D\uDE00"), sent)
    }

    /** Other text handed in: a method name names no method, a setting is a config error. */
    @Test
    fun `a lone surrogate in a method name, a base URL or a credential is a typed error`() {
        val clients = Clients(NothingSent())
        val unknown = runCatching { runBlocking { clients.vox.call("GetUsers\uDCFF", """{"application_id":1}""") } }.exceptionOrNull()
        check(unknown is RosterException.UnknownMethod) { "method: $unknown" }
        val lone = "\uDCFF"
        val settings = listOf<Pair<String, () -> Any>>(
            "base_url" to {
                Voximplant(VoximplantAuth.Token(Secret("t0ken")), clients.transport, InstantSleeper(), ClientOptions(baseUrl = "https://vox.test/$lone"))
            },
            "token" to {
                Voximplant(VoximplantAuth.Token(Secret("t0k${lone}en")), clients.transport, InstantSleeper(), ClientOptions(baseUrl = "https://vox.test"))
            },
            "credentials" to {
                Voximplant(VoximplantAuth.Credentials(Secret("{\"key_id\":\"$lone\"}")), clients.transport, InstantSleeper(), ClientOptions(baseUrl = "https://vox.test"))
            },
            "api_key" to { Voiso(Secret("k3y$lone"), clients.transport, InstantSleeper(), ClientOptions(baseUrl = "https://voiso.test")) },
        )
        for ((what, make) in settings) {
            val e = runCatching { make() }.exceptionOrNull()
            check(e is RosterException.Config) { "$what: ${e?.javaClass?.name}: ${e?.message}" }
            assertTrue(!e.message!!.contains("k3y") && !e.message!!.contains("t0k"), e.message)
        }
        assertEquals(emptyList<String>(), clients.transport.sent)
    }

    @Test
    fun `the runner builds host values and refuses kinds it does not know`() {
        val lone = json.readTree("""{"a": {"${'$'}host": "lone_surrogate", "before": "x", "after": "y"}, "b": ["c"]}""")
        assertEquals("{\"a\":\"x\uDCFFy\",\"b\":[\"c\"]}", paramsText(lone))
        val high = json.readTree("""{"a": {"${'$'}host": "lone_surrogate", "before": "", "after": "", "high": true}}""")
        assertEquals("{\"a\":\"\uD800\"}", paramsText(high))
        for (kind in listOf("nan", "float_sum", "something_new")) {
            val tree = json.readTree("""{"a": {"${'$'}host": "$kind"}}""")
            val e = runCatching { paramsText(tree) }.exceptionOrNull()
            assertTrue(e is IllegalStateException, "$kind: $e")
        }
    }

    companion object {
        /** The list methods the by-name pager pages (spec: `paging = "count_offset"`). */
        val PAGED = setOf("GetUsers", "GetSkills", "GetQueues", "GetApplications")

        /**
         * The parameters as the JSON text of a call by name, each `$host` value built as a
         * Kotlin string can hold it: a lone surrogate is a `Char` of its own in the text. NaN,
         * the infinities and binary float sums have no form in JSON text, which is what Kotlin's
         * call by name takes; a case needing one must not name kotlin (this fails if it does).
         */
        fun paramsText(params: JsonNode): String {
            val hosts = mutableListOf<String>()
            fun replace(node: JsonNode): JsonNode = when {
                node is ObjectNode && node.has("${'$'}host") -> {
                    val kind = node["${'$'}host"].asText()
                    check(kind == "lone_surrogate") { "a Kotlin call by name takes JSON text, which cannot hold a $kind" }
                    val surrogate = if (node["high"]?.asBoolean() == true) '\uD800' else '\uDCFF'
                    // The text around the surrogate, escaped as JSON; the surrogate itself raw.
                    val before = json.writeValueAsString(node["before"].asText()).dropLast(1)
                    val after = json.writeValueAsString(node["after"].asText()).drop(1)
                    hosts += before + surrogate + after
                    TextNode("@@host-${hosts.size - 1}@@")
                }
                node is ObjectNode -> json.createObjectNode().also { out ->
                    for ((k, v) in node.properties()) out.set<JsonNode>(k, replace(v))
                }
                node is ArrayNode -> json.createArrayNode().also { out -> node.forEach { out.add(replace(it)) } }
                else -> node
            }
            var text = json.writeValueAsString(replace(params))
            hosts.forEachIndexed { i, value -> text = text.replace("\"@@host-$i@@\"", value) }
            return text
        }
    }
}
