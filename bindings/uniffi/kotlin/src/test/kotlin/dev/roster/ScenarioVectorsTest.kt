package dev.roster

import com.fasterxml.jackson.databind.JsonNode
import com.fasterxml.jackson.databind.node.ArrayNode
import com.fasterxml.jackson.databind.node.NullNode
import com.fasterxml.jackson.databind.node.ObjectNode
import java.io.File
import java.net.URI
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicLong
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicNode
import org.junit.jupiter.api.DynamicTest.dynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.assertThrows

/**
 * The shared scenario vectors (every `.json` file of `tests/scenarios`, format in its README), each run
 * through the Kotlin API: a scripted [HttpTransport], a [Sleeper] that records each sleep and
 * advances a virtual clock, a [TimeSource] reading that clock, an [AttemptListener] recording
 * the core's attempt text, a [SettingsHost] serving the scenario's `env` and `files`, and a
 * [TokenProvider] handing out `auth.token_provider` in turn while recording each
 * `forceRefresh`.
 *
 * Every file is a test (paged scenarios two: through the by-name [JsonPager] and through the
 * generated typed pager). A file that does not parse, carries an unknown key, or asks for
 * something this runner cannot honour fails; nothing is skipped. The last test checks that
 * every file ran.
 */
class ScenarioVectorsTest {
    private val dir = File(repo, "tests/scenarios")
    private val fixtures = File(repo, "tests/fixtures")

    @TestFactory
    fun scenarios(): List<DynamicNode> {
        val files = dir.listFiles { f -> f.name.endsWith(".json") }!!.sortedBy { it.name }
        val ran = AtomicInteger()
        val names = mutableMapOf<String, String>()
        val tests = files.flatMap { file ->
            val kind = peekKind(file)
            val drivers = if (kind == "pages") listOf(Driver.BY_NAME, Driver.TYPED) else listOf(Driver.BY_NAME)
            drivers.mapIndexed { i, driver ->
                val label = if (kind == "pages") "${file.name} (${driver.label})" else file.name
                dynamicTest(label) {
                    if (i == 0) ran.incrementAndGet()
                    check(Regex("^\\d\\d-.+\\.json$").matches(file.name)) { "${file.name}: not named NN-short-name.json" }
                    val s = parse(file)
                    if (i == 0) {
                        val other = names.put(s.name, file.name)
                        check(other == null) { "${file.name}: the name ${s.name} is also used by $other" }
                    }
                    val diffs = run(s, driver)
                    check(diffs.isEmpty()) { "${file.name} (${s.name}):\n  - " + diffs.joinToString("\n  - ") }
                }
            }
        }
        val count = dynamicTest("every scenario file ran (${files.size} files)") {
            assertEquals(files.size, ran.get(), "scenario files run")
            assertTrue(files.size >= MIN_SCENARIOS, "only ${files.size} scenario files in $dir; at least $MIN_SCENARIOS expected")
            for (group in GROUPS) {
                assertTrue(files.any { it.name.startsWith(group) }, "no scenario of group ${group}x in $dir")
            }
        }
        return tests + count
    }

    /**
     * The runner itself: a scenario it passes must fail once anything it checks is changed, and
     * a file with a key it does not know, or asking what it cannot honour, must not run.
     */
    @Test
    fun `the runner reports every disagreement and refuses what it cannot check`() {
        fun diffs(tree: JsonNode) = run(parse(tree), Driver.BY_NAME)
        val good = json.readTree(SELF_TEST)
        assertEquals(emptyList<String>(), diffs(good))
        val mutations: List<Pair<String, (ObjectNode) -> Unit>> = listOf(
            "result" to { n -> (n.at("/outcome/result") as ObjectNode).put("count", 2) },
            "result as error" to { n -> (n["outcome"] as ObjectNode).apply { remove("result"); putObject("error").put("code", "api") } },
            "path" to { n -> (n.at("/exchanges/0/expect") as ObjectNode).put("path", "/platform_api/GetSkills") },
            "http_method" to { n -> (n.at("/exchanges/0/expect") as ObjectNode).put("http_method", "GET") },
            "params" to { n -> (n.at("/exchanges/0/expect/params") as ObjectNode).put("application_id", "8") },
            "absent" to { n -> (n.at("/exchanges/0/expect") as ObjectNode).putArray("absent").add("application_id") },
            "headers" to { n -> (n.at("/exchanges/0/expect/headers") as ObjectNode).put("authorization", "Bearer other") },
            "header_prefixes" to { n -> (n.at("/exchanges/0/expect") as ObjectNode).putObject("header_prefixes").put("user-agent", "curl") },
            "timeout_ms" to { n -> (n.at("/exchanges/0/expect") as ObjectNode).put("timeout_ms", 29999) },
            "attempt" to { n -> (n.at("/exchanges/1/expect") as ObjectNode).put("attempt", 3) },
            "sleeps" to { n -> (n["sleeps_ms"] as ArrayNode).removeAll().add(101) },
            "attempts" to { n -> (n["attempts"] as ArrayNode).set(0, json.nodeFactory.textNode("GetUsers attempt 1 (call): other")) },
            "an exchange left unused" to { n -> (n["exchanges"] as ArrayNode).add((n.at("/exchanges/1") as ObjectNode).deepCopy()) },
            "a request past the script" to { n -> (n["exchanges"] as ArrayNode).remove(1) },
            "elapse_ms" to { n -> (n.at("/exchanges/0") as ObjectNode).put("elapse_ms", 50_000); (n["client"]["retry"] as ObjectNode).put("deadline_ms", 1_000) },
            "a client setting" to { n -> (n["client"]["retry"] as ObjectNode).put("max_attempts", 1) },
        )
        for ((what, mutate) in mutations) {
            val tree = good.deepCopy<ObjectNode>().also(mutate)
            assertTrue(diffs(tree).isNotEmpty(), "changing $what went unnoticed")
        }
        val errorCase = json.readTree(SELF_TEST).deepCopy<ObjectNode>().apply {
            (at("/exchanges/1/answer") as ObjectNode).put("status", 200).put("body", """{"error":{"code":104,"msg":"forbidden"}}""")
            (get("outcome") as ObjectNode).apply {
                remove("result")
                putObject("error").put("code", "api").put("api_code", 104).put("kind", "forbidden")
            }
            remove("attempts")
        }
        assertEquals(emptyList<String>(), diffs(errorCase))
        for ((key, value) in listOf("code" to "auth", "api_code" to 105, "kind" to "conflict", "http_status" to 500, "method" to "X")) {
            val tree = errorCase.deepCopy().also { (it.at("/outcome/error") as ObjectNode).replace(key, json.valueToTree(value)) }
            assertTrue(diffs(tree).isNotEmpty(), "a wrong error $key went unnoticed")
        }
        val excludes = errorCase.deepCopy().also { (it.at("/outcome/error") as ObjectNode).putArray("message_excludes").add("forbidden") }
        assertTrue(diffs(excludes).isNotEmpty(), "a fragment in the message went unnoticed")
        val contains = errorCase.deepCopy().also { (it.at("/outcome/error") as ObjectNode).putArray("message_contains").add("no such text") }
        assertTrue(diffs(contains).isNotEmpty(), "a missing fragment went unnoticed")

        val provider = good.deepCopy<ObjectNode>().apply {
            (get("client") as ObjectNode).putObject("auth").putArray("token_provider").add("tok-1")
            putArray("token_requests").addObject().put("force_refresh", false)
            (at("/exchanges/0/expect/headers") as ObjectNode).put("authorization", "Bearer tok-1")
            (at("/exchanges/1/expect") as ObjectNode).putObject("headers").put("authorization", "Bearer tok-1")
        }
        assertEquals(emptyList<String>(), diffs(provider))
        val forced = provider.deepCopy().also { (it.at("/token_requests/0") as ObjectNode).put("force_refresh", true) }
        assertTrue(diffs(forced).isNotEmpty(), "a wrong force_refresh went unnoticed")
        val refused = provider.deepCopy().also { (it.at("/exchanges/0/answer") as ObjectNode).put("body", """{"error":{"code":456,"msg":"expired"}}""") }
        assertTrue(diffs(refused).any { it.contains("token provider was asked 2 times") }, "a provider asked too often went unnoticed")

        val unrunnable: List<Pair<String, (ObjectNode) -> Unit>> = listOf(
            "an unknown top-level key" to { n -> n.put("comment", "x") },
            "an unknown expect key" to { n -> (n.at("/exchanges/0/expect") as ObjectNode).put("query", "x") },
            "an unknown retry key" to { n -> (n["client"]["retry"] as ObjectNode).put("deadline", 1) },
            "an unknown failure" to { n -> (n.at("/exchanges/1") as ObjectNode).put("fail", "refused") },
            "a wrong shape" to { n -> (n.at("/exchanges/0/expect") as ObjectNode).put("attempt", "1") },
            "a Voiso key on Voximplant" to { n -> (n["client"] as ObjectNode).putObject("auth").put("api_key", "k") },
            "token_requests without a provider" to { n -> n.putArray("token_requests") },
        )
        for ((what, mutate) in unrunnable) {
            val tree = good.deepCopy<ObjectNode>().also(mutate)
            assertThrows<IllegalStateException>("$what was accepted") { diffs(tree) }
        }
    }

    private fun peekKind(file: File): String? =
        runCatching { json.readTree(file) }.getOrNull()?.let { if (it.has("pages")) "pages" else "call" }

    // ---- the scenario file ----------------------------------------------------------------------

    enum class Driver(val label: String) { BY_NAME("by-name pager"), TYPED("typed pager") }

    sealed class Auth {
        object FromEnvironment : Auth()
        data class Token(val token: String) : Auth()
        data class Credentials(val credentials: String) : Auth()
        data class Provider(val tokens: List<String>) : Auth()
        data class ApiKey(val key: String) : Auth()
    }

    sealed class Reply {
        data class Answer(val status: Int, val headers: List<HttpHeader>, val body: String) : Reply()
        data class Fail(val kind: String) : Reply()
    }

    class Exchange(val expect: JsonNode, val elapseMs: Long, val reply: Reply)

    class Scenario(
        val name: String,
        val api: String,
        val auth: Auth,
        val baseUrl: String?,
        val retry: RetrySettings?,
        val seed: ULong,
        val env: Map<String, String>,
        val files: Map<String, String>,
        val call: JsonNode?,
        val pages: JsonNode?,
        val exchanges: List<Exchange>,
        val tokenRequests: List<Boolean>?,
        val sleepsMs: List<Long>?,
        val attempts: List<String>?,
        val outcome: JsonNode,
    )

    private fun fail(at: String, why: String): Nothing = throw IllegalStateException("$at: $why")

    private fun obj(v: JsonNode?, at: String): JsonNode {
        if (v == null || !v.isObject) fail(at, "an object is required, got $v")
        return v
    }

    private fun known(v: JsonNode, allowed: Set<String>, at: String) {
        for (k in v.fieldNames()) if (k !in allowed) fail(at, "unknown key `$k` (allowed: $allowed)")
    }

    private fun text(v: JsonNode?, at: String): String {
        if (v == null || !v.isTextual) fail(at, "a string is required, got $v")
        return v.asText()
    }

    private fun uint(v: JsonNode?, at: String): Long {
        if (v == null || !v.canConvertToExactIntegral() || !v.canConvertToLong() || v.asLong() < 0) {
            fail(at, "a non-negative integer is required, got $v")
        }
        return v.asLong()
    }

    private fun strings(v: JsonNode?, at: String): List<String> {
        if (v == null || !v.isArray || !v.all { it.isTextual }) fail(at, "a list of strings is required, got $v")
        return v.map { it.asText() }
    }

    /** `@fixture:NAME` stands for the text of `tests/fixtures/NAME`. */
    private fun fixture(value: String): String =
        if (value.startsWith("@fixture:")) File(fixtures, value.removePrefix("@fixture:")).readText() else value

    private fun stringMap(v: JsonNode?, at: String): Map<String, String> {
        if (v == null) return emptyMap()
        obj(v, at)
        return v.properties().associate { (k, value) -> k to fixture(text(value, "$at.$k")) }
    }

    private fun retrySettings(v: JsonNode, at: String): RetrySettings {
        obj(v, at)
        known(v, RETRY_KEYS, at)
        fun u32(key: String): UInt? = v[key]?.let {
            val n = uint(it, "$at.$key")
            if (n > UInt.MAX_VALUE.toLong()) fail("$at.$key", "$n does not fit the Kotlin API's UInt")
            n.toUInt()
        }
        fun u64(key: String): ULong? = v[key]?.let { uint(it, "$at.$key").toULong() }
        // Field by field, as an app would write them; the core applies and checks them.
        return RetrySettings(
            maxAttempts = u32("max_attempts"),
            baseBackoffMs = u64("base_backoff_ms"),
            maxBackoffMs = u64("max_backoff_ms"),
            jitterPercent = u32("jitter_percent"),
            deadlineMs = u64("deadline_ms"),
            connectTimeoutMs = u64("connect_timeout_ms"),
            attemptTimeoutMs = u64("attempt_timeout_ms"),
        )
    }

    /** The value of `key` has the JSON shape the README gives it, so no check is skipped by a typo. */
    private fun shape(key: String, v: JsonNode, at: String) {
        val path = "$at.$key"
        when (key) {
            "attempt", "timeout_ms", "api_code", "http_status" -> uint(v, path)
            "params", "headers", "header_prefixes" -> {
                obj(v, path)
                v.properties().forEach { (k, value) -> text(value, "$path.$k") }
            }
            "absent", "message_contains", "message_excludes" -> strings(v, path)
            "errors" -> if (!v.isArray || !v.all { it.isIntegralNumber }) fail(path, "a list of integer codes is required, got $v")
            else -> text(v, path)
        }
    }

    private fun validateError(v: JsonNode, at: String) {
        obj(v, at)
        known(v, ERROR_KEYS, at)
        if (!v.has("code")) fail(at, "code is required")
        v.properties().forEach { (k, value) -> shape(k, value, at) }
    }

    fun parse(file: File): Scenario {
        val root = try {
            json.readTree(file)
        } catch (e: Exception) {
            fail(file.name, "not JSON: ${e.message}")
        }
        return parse(root)
    }

    fun parse(root: JsonNode): Scenario {
        obj(root, "scenario")
        known(root, TOP_KEYS, "scenario")
        val name = text(root["name"], "scenario.name")
        val c = obj(root["client"], "client")
        known(c, CLIENT_KEYS, "client")
        val api = text(c["api"], "client.api")
        if (api != "voximplant" && api != "voiso") fail("client.api", "unknown API $api")
        val auth = when (val a = c["auth"]) {
            null -> Auth.FromEnvironment
            else -> {
                obj(a, "client.auth")
                known(a, AUTH_KEYS, "client.auth")
                if (a.size() != 1) fail("client.auth", "exactly one way to authenticate is required")
                when {
                    a.has("token") -> Auth.Token(fixture(text(a["token"], "client.auth.token")))
                    a.has("credentials") -> Auth.Credentials(fixture(text(a["credentials"], "client.auth.credentials")))
                    a.has("api_key") -> Auth.ApiKey(fixture(text(a["api_key"], "client.auth.api_key")))
                    else -> Auth.Provider(strings(a["token_provider"], "client.auth.token_provider").map(::fixture))
                }
            }
        }
        val baseUrl = c["base_url"]?.let { text(it, "client.base_url") }
        val retry = c["retry"]?.let { retrySettings(it, "client.retry") }
        val seed = c["seed"]?.let { uint(it, "client.seed").toULong() } ?: 0uL
        val env = stringMap(root["env"], "env")
        val files = stringMap(root["files"], "files")

        val call = root["call"]
        val pages = root["pages"]
        if ((call == null) == (pages == null)) fail("scenario", "exactly one of `call` and `pages` is required")
        if (call != null) {
            obj(call, "call")
            known(call, CALL_KEYS, "call")
            text(call["method"], "call.method")
            call["retry"]?.let { retrySettings(it, "call.retry") }
        }
        if (pages != null) {
            obj(pages, "pages")
            known(pages, PAGES_KEYS, "pages")
            text(pages["method"], "pages.method")
            text(pages["id_field"], "pages.id_field")
            uint(pages["next_calls"], "pages.next_calls")
        }

        val list = root["exchanges"]
        if (list == null || !list.isArray) fail("scenario.exchanges", "a list is required")
        val exchanges = list.mapIndexed { i, x ->
            val at = "exchanges[$i]"
            obj(x, at)
            known(x, EXCHANGE_KEYS, at)
            val expect = x["expect"] ?: json.createObjectNode()
            obj(expect, "$at.expect")
            known(expect, EXPECT_KEYS, "$at.expect")
            expect.properties().forEach { (k, v) -> shape(k, v, "$at.expect") }
            val elapse = x["elapse_ms"]?.let { uint(it, "$at.elapse_ms") } ?: 0L
            val answer = x["answer"]
            val failure = x["fail"]
            val reply = when {
                answer != null && failure == null -> {
                    obj(answer, "$at.answer")
                    known(answer, ANSWER_KEYS, "$at.answer")
                    val status = uint(answer["status"], "$at.answer.status")
                    if (status > 65535) fail("$at.answer.status", "not an HTTP status: $status")
                    val headers = stringMap(answer["headers"], "$at.answer.headers").map { (k, v) -> HttpHeader(k, v) }
                    val body = answer["body"]?.let { text(it, "$at.answer.body") } ?: ""
                    Reply.Answer(status.toInt(), headers, body)
                }
                failure != null && answer == null -> {
                    val kind = text(failure, "$at.fail")
                    if (kind !in FAIL_KINDS) fail("$at.fail", "unknown failure $kind")
                    Reply.Fail(kind)
                }
                else -> fail(at, "exactly one of `answer` and `fail` is required")
            }
            Exchange(expect, elapse, reply)
        }

        val tokenRequests = root["token_requests"]?.let { v ->
            if (!v.isArray) fail("token_requests", "a list is required")
            v.mapIndexed { i, r ->
                obj(r, "token_requests[$i]")
                known(r, setOf("force_refresh"), "token_requests[$i]")
                val f = r["force_refresh"]
                if (f == null || !f.isBoolean) fail("token_requests[$i].force_refresh", "a boolean is required")
                f.asBoolean()
            }
        }
        if (tokenRequests != null && auth !is Auth.Provider) {
            fail("token_requests", "only a client with auth.token_provider has token requests")
        }
        val sleeps = root["sleeps_ms"]?.let { v ->
            if (!v.isArray) fail("sleeps_ms", "a list is required")
            v.map { uint(it, "sleeps_ms[]") }
        }
        val attempts = root["attempts"]?.let { strings(it, "attempts") }
        val outcome = obj(root["outcome"], "outcome")
        if (call != null) {
            known(outcome, setOf("result", "error"), "outcome")
            if (outcome.size() != 1) fail("outcome", "exactly one of `result` and `error` is required")
            outcome["error"]?.let { validateError(it, "outcome.error") }
        } else if (outcome.has("error")) {
            // A client that cannot be made ends a listing too.
            known(outcome, setOf("error"), "outcome")
            validateError(outcome["error"], "outcome.error")
        } else {
            known(outcome, setOf("pages"), "outcome")
            val entries = outcome["pages"]
            if (entries == null || !entries.isArray) fail("outcome.pages", "a list is required")
            entries.forEachIndexed { i, p ->
                val at = "outcome.pages[$i]"
                obj(p, at)
                known(p, setOf("ids", "error", "end"), at)
                if (p.size() != 1) fail(at, "exactly one of ids, error, end is required")
                p["error"]?.let { validateError(it, "$at.error") }
                p["end"]?.let { if (!(it.isBoolean && it.asBoolean())) fail("$at.end", "must be true") }
                p["ids"]?.let { if (!it.isArray) fail("$at.ids", "a list is required") }
            }
        }
        return Scenario(
            name, api, auth, baseUrl, retry, seed, env, files, call, pages, exchanges,
            tokenRequests, sleeps, attempts, outcome,
        )
    }

    // ---- the scripted world ---------------------------------------------------------------------

    /** One request the binding sent, with the total timeout it handed the transport. */
    class Sent(val request: HttpRequest, val timeoutMs: Long)

    /** The virtual clock, the script and everything the binding did. */
    class World(val scenario: Scenario) {
        val now = AtomicLong(START_MS)
        val sent = mutableListOf<Sent>()
        val sleeps = mutableListOf<Long>()
        val attempts = mutableListOf<String>()
        val tokenRequests = mutableListOf<Boolean>()
        val problems = mutableListOf<String>()
    }

    /** Answers each request with the next exchange, after moving the clock by its `elapse_ms`. */
    class ScriptedTransport(private val world: World) : HttpTransport {
        override suspend fun send(request: HttpRequest): HttpResponse {
            val index = synchronized(world) {
                world.sent += Sent(request, request.timeoutMs().toLong())
                world.sent.size - 1
            }
            val exchange = world.scenario.exchanges.getOrNull(index)
                ?: throw TransportFailure.NotSent("the scenario has no exchange left for this request")
            world.now.addAndGet(exchange.elapseMs)
            return when (val r = exchange.reply) {
                is Reply.Answer -> HttpResponse(r.status.toUShort(), r.headers, r.body.toByteArray())
                is Reply.Fail -> throw when (r.kind) {
                    "not_sent" -> TransportFailure.NotSent("scripted")
                    "timed_out" -> TransportFailure.TimedOut("scripted")
                    else -> TransportFailure.Interrupted("scripted")
                }
            }
        }
    }

    /** Never waits: records the sleep and moves the virtual clock by it. */
    class RecordingSleeper(private val world: World) : Sleeper {
        override suspend fun sleep(millis: ULong) {
            val ms = millis.toLong()
            synchronized(world) { world.sleeps += ms }
            world.now.addAndGet(ms)
        }
    }

    class VirtualClock(private val world: World) : TimeSource {
        override fun nowMs(): ULong = world.now.get().toULong()
    }

    class Recorder(private val world: World) : AttemptListener {
        override fun onAttempt(attempt: AttemptRecord) {
            synchronized(world) { world.attempts += attempt.text }
        }
    }

    /** The scenario's `env` and `files`, and nothing else. */
    class MapHost(private val env: Map<String, String>, private val files: Map<String, String>) : SettingsHost {
        override fun env(name: String): String? = env[name]

        override fun readFile(path: String): ByteArray =
            files[path]?.toByteArray() ?: throw HostFailure.Unreadable("No such file or directory")
    }

    /** Hands out the listed tokens in turn, recording each `forceRefresh`. */
    class ScriptedProvider(private val world: World, private val tokens: List<String>) : TokenProvider {
        override suspend fun token(forceRefresh: Boolean): String {
            val i = synchronized(world) {
                world.tokenRequests += forceRefresh
                world.tokenRequests.size - 1
            }
            return tokens.getOrNull(i) ?: run {
                synchronized(world) { world.problems += "the token provider was asked ${i + 1} times; the scenario lists ${tokens.size} tokens" }
                throw HostFailure.Failed("the scenario has no token left")
            }
        }
    }

    sealed class Client {
        class Vox(val client: Voximplant) : Client()
        class Vo(val client: Voiso) : Client()
    }

    private fun makeClient(s: Scenario, world: World): Client {
        val options = ClientOptions(
            baseUrl = s.baseUrl, retry = s.retry, seed = s.seed, binding = "kotlin",
            host = MapHost(s.env, s.files), clock = VirtualClock(world), onAttempt = Recorder(world),
        )
        val transport = ScriptedTransport(world)
        val sleeper = RecordingSleeper(world)
        return when (s.api) {
            "voximplant" -> {
                val auth = when (val a = s.auth) {
                    Auth.FromEnvironment -> VoximplantAuth.Environment
                    is Auth.Token -> VoximplantAuth.Token(Secret(a.token))
                    is Auth.Credentials -> VoximplantAuth.Credentials(Secret(a.credentials))
                    is Auth.Provider -> VoximplantAuth.Provider(ScriptedProvider(world, a.tokens))
                    is Auth.ApiKey -> fail("client.auth", "api_key is Voiso's: a Voximplant client cannot take it")
                }
                Client.Vox(Voximplant(auth, transport, sleeper, options))
            }
            else -> {
                val key = when (val a = s.auth) {
                    Auth.FromEnvironment -> null
                    is Auth.ApiKey -> Secret(a.key)
                    else -> fail("client.auth", "a Voiso client takes only api_key (or nothing: VOISO_API_KEY)")
                }
                Client.Vo(Voiso(key, transport, sleeper, options))
            }
        }
    }

    // ---- running --------------------------------------------------------------------------------

    /** What one `next` gave. */
    sealed class Next {
        data class Ids(val ids: List<JsonNode>) : Next()
        data class Error(val e: RosterException) : Next()
        object End : Next()
    }

    fun run(s: Scenario, driver: Driver): List<String> {
        val world = World(s)
        val diffs = mutableListOf<String>()
        val client = try {
            makeClient(s, world)
        } catch (e: RosterException) {
            when (val want = s.outcome["error"]) {
                null -> diffs += "the client could not be made: ${e.message}"
                else -> checkError(want, e, "outcome.error", diffs)
            }
            null
        }
        if (client != null) {
            if (s.call != null) runCall(s, s.call, client, diffs) else runPages(s, s.pages!!, client, driver, diffs)
        }

        val sent = world.sent.toList()
        s.exchanges.zip(sent).forEachIndexed { i, (want, got) -> checkRequest(i, want.expect, got, diffs) }
        when {
            sent.size > s.exchanges.size -> sent.drop(s.exchanges.size).forEach {
                diffs += "a request after the last exchange: ${it.request.redacted()}"
            }
            sent.size < s.exchanges.size ->
                diffs += "${s.exchanges.size - sent.size} of ${s.exchanges.size} exchanges left unused (the binding sent ${sent.size} requests)"
        }
        s.tokenRequests?.let { checkList("token_requests (force_refresh)", it, world.tokenRequests, diffs) }
        s.sleepsMs?.let { checkList("sleeps_ms", it, world.sleeps, diffs) }
        s.attempts?.let { checkList("attempts", it, world.attempts, diffs) }
        diffs += world.problems
        return diffs
    }

    private fun runCall(s: Scenario, call: JsonNode, client: Client, diffs: MutableList<String>) {
        val method = call["method"].asText()
        val params = json.writeValueAsString(call["params"] ?: NullNode.instance)
        val retry = call["retry"]?.let { retrySettings(it, "call.retry") }
        val result = try {
            runBlocking {
                when (client) {
                    is Client.Vox -> if (retry == null) client.client.call(method, params) else client.client.callWith(method, params, retry)
                    is Client.Vo -> if (retry == null) client.client.call(method, params) else client.client.callWith(method, params, retry)
                }
            }
        } catch (e: RosterException) {
            when (val want = s.outcome["error"]) {
                null -> diffs += "outcome: want a result, got the error ${e.code()} (${e.message})"
                else -> checkError(want, e, "outcome.error", diffs)
            }
            return
        }
        val got = json.readTree(result)
        when (val want = s.outcome["result"]) {
            null -> diffs += "outcome: want an error, got the result $got"
            else -> if (want != got) diffs += "outcome.result: want $want, got $got"
        }
    }

    private fun runPages(s: Scenario, pages: JsonNode, client: Client, driver: Driver, diffs: MutableList<String>) {
        val method = pages["method"].asText()
        val idField = pages["id_field"].asText()
        val nextCalls = pages["next_calls"].asInt()
        val params = pages["params"] ?: NullNode.instance
        val got: List<Next> = runBlocking {
            when (driver) {
                Driver.BY_NAME -> {
                    val text = json.writeValueAsString(params)
                    val pager = try {
                        when (client) {
                            is Client.Vox -> client.client.pager(method, text)
                            is Client.Vo -> client.client.pager(method, text)
                        }
                    } catch (e: RosterException) {
                        return@runBlocking firstError(e, nextCalls)
                    }
                    drive(nextCalls, pager::next) { item -> json.readTree(item)[idField] ?: NullNode.instance }
                }
                Driver.TYPED -> {
                    val vox = (client as? Client.Vox)?.client ?: fail("pages", "the Voiso spec has no typed pager")
                    typedPages(vox, method, params, idField, nextCalls)
                }
            }
        }
        if (s.outcome.has("error")) {
            diffs += "outcome: want the client to fail with ${s.outcome["error"]}, but it was made"
            return
        }
        val want = s.outcome["pages"].toList()
        if (want.size != got.size) diffs += "outcome.pages: ${want.size} entries for ${got.size} next calls"
        want.zip(got).forEachIndexed { i, (w, g) ->
            val at = "outcome.pages[$i]"
            when {
                w.has("ids") && g is Next.Ids -> {
                    val ids = json.valueToTree<JsonNode>(g.ids)
                    if (!sameValue(w["ids"], ids)) diffs += "$at.ids: want ${w["ids"]}, got $ids"
                }
                w.has("error") && g is Next.Error -> checkError(w["error"], g.e, "$at.error", diffs)
                w.has("end") && g is Next.End -> {}
                else -> diffs += "$at: want $w, got " + when (g) {
                    is Next.Ids -> "ids ${json.valueToTree<JsonNode>(g.ids)}"
                    is Next.Error -> "the error ${g.e.code()} (${g.e.message})"
                    Next.End -> "the end"
                }
            }
        }
    }

    /** Parameters a pager refuses: the first `next` reports it, and the listing is over. */
    private fun firstError(e: RosterException, nextCalls: Int): List<Next> =
        listOf<Next>(Next.Error(e)) + List(maxOf(nextCalls - 1, 0)) { Next.End }

    private suspend fun <T> drive(nextCalls: Int, next: suspend () -> List<T>?, id: (T) -> JsonNode): List<Next> =
        (1..nextCalls).map {
            try {
                next()?.let { items -> Next.Ids(items.map(id)) } ?: Next.End
            } catch (e: RosterException) {
                Next.Error(e)
            }
        }

    /** The generated typed pager of [method], its record built from the JSON parameters. */
    private suspend fun typedPages(vox: Voximplant, method: String, params: JsonNode, idField: String, nextCalls: Int): List<Next> {
        val p = if (params.isNull) json.createObjectNode() else obj(params, "pages.params")
        val allowed = TYPED_PARAMS[method] ?: fail("pages.method", "$method has no typed pager mapping in this runner")
        known(p, allowed, "pages.params (typed $method)")
        fun long(key: String): Long? = p[key]?.let {
            if (!it.canConvertToExactIntegral()) fail("pages.params.$key", "an integer is required for the typed record")
            it.asLong()
        }
        fun <T> expectId(field: String, id: (T) -> Long?): (T) -> JsonNode {
            if (idField != field) fail("pages.id_field", "$method's typed items are reported by $field, not $idField")
            return { item -> id(item)?.let { json.valueToTree<JsonNode>(it) } ?: NullNode.instance }
        }
        return try {
            when (method) {
                "GetUsers" -> {
                    val order = p["order_by"]?.let { o ->
                        UserOrder.entries.firstOrNull { it.name == text(o, "pages.params.order_by").uppercase() }
                            ?: fail("pages.params.order_by", "no UserOrder for ${o.asText()}")
                    }
                    val pager = vox.users().getUsersPager(
                        GetUsers(applicationId = long("application_id"), count = long("count"), offset = long("offset"), orderBy = order),
                    )
                    drive(nextCalls, pager::next, expectId<User>("user_id") { it.userId })
                }
                "GetSkills" -> {
                    val pager = vox.skills().getSkillsPager(GetSkills(count = long("count"), offset = long("offset")))
                    drive(nextCalls, pager::next, expectId<Skill>("skill_id") { it.skillId })
                }
                "GetQueues" -> {
                    val pager = vox.queues().getQueuesPager(
                        GetQueues(applicationId = long("application_id"), count = long("count"), offset = long("offset")),
                    )
                    drive(nextCalls, pager::next, expectId<Queue>("acd_queue_id") { it.acdQueueId })
                }
                "GetApplications" -> {
                    val pager = vox.applications().getApplicationsPager(GetApplications(count = long("count"), offset = long("offset")))
                    drive(nextCalls, pager::next, expectId<Application>("application_id") { it.applicationId })
                }
                else -> fail("pages.method", "$method has no typed pager")
            }
        } catch (e: RosterException) {
            firstError(e, nextCalls)
        }
    }

    // ---- checks ---------------------------------------------------------------------------------

    /** The fields of an exception a scenario can name, by their scenario names. */
    private fun fields(e: RosterException): Map<String, JsonNode> {
        val out = mutableMapOf<String, Any?>("code" to e.code())
        when (e) {
            is RosterException.Validation -> {
                out["parameter"] = e.parameter
                out["rule"] = e.rule
            }
            is RosterException.Api -> {
                out["api_code"] = e.apiCode
                out["kind"] = e.kind
                out["http_status"] = e.httpStatus.toInt()
                out["errors"] = e.errors.map { it.code }
            }
            is RosterException.HttpStatus -> out["http_status"] = e.status.toInt()
            is RosterException.Transport -> out["transport_kind"] = e.transportKind
            is RosterException.OutcomeUnknown -> {
                out["method"] = e.method
                out["cause"] = e.causeCode
            }
            else -> {}
        }
        return out.mapValues { (_, v) -> json.valueToTree<JsonNode>(v) ?: NullNode.instance }
    }

    /** The core's message of [e] (the `reason` every variant carries). */
    private fun reason(e: RosterException): String = when (e) {
        is RosterException.Validation -> e.reason
        is RosterException.Api -> e.reason
        is RosterException.HttpStatus -> e.reason
        is RosterException.Decode -> e.reason
        is RosterException.Auth -> e.reason
        is RosterException.Config -> e.reason
        is RosterException.Transport -> e.reason
        is RosterException.OutcomeUnknown -> e.reason
        is RosterException.UnknownMethod -> e.reason
    }

    private fun checkError(want: JsonNode, e: RosterException, at: String, diffs: MutableList<String>) {
        val got = fields(e)
        val reason = reason(e)
        // Every string form of the exception a careless app might print or log.
        val shown = listOf(reason, e.message ?: "", e.toString(), e.stackTraceToString())
        for ((key, expected) in want.properties()) {
            when (key) {
                "message_contains" -> expected.forEach { f ->
                    if (!reason.contains(f.asText()) || !(e.message ?: "").contains(f.asText())) {
                        diffs += "$at.message_contains: ${f.asText()} is not in the message \"$reason\""
                    }
                }
                "message_excludes" -> expected.forEach { f ->
                    if (shown.any { it.contains(f.asText()) }) diffs += "$at.message_excludes: ${f.asText()} appears in the error: ${e.message}"
                }
                else -> {
                    val actual = got[key] ?: NullNode.instance
                    if (!sameValue(expected, actual)) diffs += "$at.$key: want $expected, got $actual (error: ${e.message})"
                }
            }
        }
    }

    /** JSON equality with numbers compared by value (Jackson's nodes differ by int/long). */
    private fun sameValue(a: JsonNode, b: JsonNode): Boolean = when {
        a.isIntegralNumber && b.isIntegralNumber -> a.bigIntegerValue() == b.bigIntegerValue()
        a.isArray && b.isArray -> a.size() == b.size() && a.zip(b).all { (x, y) -> sameValue(x, y) }
        else -> a == b
    }

    private fun requestParams(r: HttpRequest): List<Pair<String, String>> {
        val query = URI(r.url()).rawQuery?.let(::decodePairs) ?: emptyList()
        val type = header(r, "content-type") ?: ""
        val body = String(r.body())
        val form = if (type.startsWith("application/x-www-form-urlencoded")) decodePairs(body) else emptyList()
        return query + form
    }

    private fun decodePairs(text: String): List<Pair<String, String>> =
        if (text.isEmpty()) emptyList() else text.split("&").map {
            val (k, v) = (it.split("=", limit = 2) + "").take(2)
            java.net.URLDecoder.decode(k, "UTF-8") to java.net.URLDecoder.decode(v, "UTF-8")
        }

    private fun checkRequest(i: Int, want: JsonNode, sent: Sent, diffs: MutableList<String>) {
        val r = sent.request
        val at = "exchanges[$i].expect"
        fun differ(what: String, expected: Any?, got: Any?) {
            if (expected != got) diffs += "$at.$what: want $expected, got $got (request: ${r.redacted()})"
        }
        val params = requestParams(r)
        for ((key, value) in want.properties()) {
            when (key) {
                "http_method" -> differ(key, value.asText(), r.method())
                "path" -> differ(key, value.asText(), URI(r.url()).rawPath)
                "attempt" -> differ(key, value.asLong().toString(), header(r, "x-roster-attempt"))
                "timeout_ms" -> differ(key, value.asLong(), sent.timeoutMs)
                "params" -> value.properties().forEach { (name, expected) ->
                    val got = params.filter { it.first == name }.map { it.second }
                    differ("params.$name", expected.asText(), if (got.size == 1) got[0] else got.ifEmpty { null })
                }
                "absent" -> value.forEach { n ->
                    params.firstOrNull { it.first == n.asText() }?.let { differ("absent.${n.asText()}", null, it.second) }
                }
                "headers" -> value.properties().forEach { (name, expected) ->
                    differ("headers.$name", expected.asText(), header(r, name))
                }
                "header_prefixes" -> value.properties().forEach { (name, prefix) ->
                    val got = header(r, name)
                    if (got == null || !got.startsWith(prefix.asText())) differ("header_prefixes.$name", "${prefix.asText()}...", got)
                }
            }
        }
    }

    private fun <T> checkList(what: String, want: List<T>, got: List<T>, diffs: MutableList<String>) {
        if (want != got) {
            diffs += "$what differ:\n      want: " + want.joinToString("\n            ") +
                "\n      got:  " + got.joinToString("\n            ")
        }
    }

    companion object {
        /** Where the virtual clock starts (Unix milliseconds). */
        const val START_MS = 1_700_000_000_000L

        /** A floor, so that a moved directory or a lost group cannot pass as a short run. */
        const val MIN_SCENARIOS = 96

        /** Every group the README names must have scenarios: settings, retries, lost writes, tokens, deadlines, paging. */
        val GROUPS = listOf("0", "1", "2", "3", "4", "5", "6")

        val TOP_KEYS = setOf(
            "name", "client", "env", "files", "call", "pages", "exchanges", "token_requests", "sleeps_ms", "outcome", "attempts",
        )
        val CLIENT_KEYS = setOf("api", "auth", "base_url", "retry", "seed")
        val AUTH_KEYS = setOf("token", "credentials", "token_provider", "api_key")
        val RETRY_KEYS = setOf(
            "max_attempts", "base_backoff_ms", "max_backoff_ms", "jitter_percent", "deadline_ms", "connect_timeout_ms", "attempt_timeout_ms",
        )
        val CALL_KEYS = setOf("method", "params", "retry")
        val PAGES_KEYS = setOf("method", "params", "id_field", "next_calls")
        val EXCHANGE_KEYS = setOf("expect", "elapse_ms", "answer", "fail")
        val EXPECT_KEYS = setOf("http_method", "path", "params", "absent", "attempt", "headers", "header_prefixes", "timeout_ms")
        val ANSWER_KEYS = setOf("status", "headers", "body")
        val ERROR_KEYS = setOf(
            "code", "parameter", "rule", "api_code", "kind", "http_status", "transport_kind", "method", "cause", "errors",
            "message_contains", "message_excludes",
        )
        val FAIL_KINDS = setOf("not_sent", "timed_out", "interrupted")

        /** A scenario of its own for the runner's self-test: a 502, a backoff, then the answer. */
        val SELF_TEST = """
            {
              "name": "self-test",
              "client": { "api": "voximplant", "auth": { "token": "test-token" }, "base_url": "https://vox.test",
                          "retry": { "jitter_percent": 0, "base_backoff_ms": 100 } },
              "call": { "method": "GetUsers", "params": { "application_id": 7 } },
              "exchanges": [
                { "expect": { "http_method": "POST", "path": "/platform_api/GetUsers", "params": { "application_id": "7" },
                              "headers": { "authorization": "Bearer test-token" }, "timeout_ms": 30000, "attempt": 1 },
                  "answer": { "status": 502, "body": "bad gateway" } },
                { "expect": { "attempt": 2 },
                  "answer": { "status": 200, "body": "{\"result\":[{\"user_id\":1}],\"total_count\":1,\"count\":1}" } }
              ],
              "sleeps_ms": [ 100 ],
              "outcome": { "result": { "items": [ { "user_id": 1 } ], "total_count": 1, "count": 1 } },
              "attempts": [
                "GetUsers attempt 1 (call): POST https://vox.test/platform_api/GetUsers -> HTTP 502",
                "GetUsers attempt 2 (call): POST https://vox.test/platform_api/GetUsers -> HTTP 200"
              ]
            }
        """

        /** The parameters the typed pagers' records are built from here. */
        val TYPED_PARAMS = mapOf(
            "GetUsers" to setOf("application_id", "count", "offset", "order_by"),
            "GetSkills" to setOf("count", "offset"),
            "GetQueues" to setOf("application_id", "count", "offset"),
            "GetApplications" to setOf("count", "offset"),
        )
    }
}
