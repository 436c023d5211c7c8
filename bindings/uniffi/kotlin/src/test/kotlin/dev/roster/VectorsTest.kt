package dev.roster

import com.fasterxml.jackson.databind.JsonNode
import java.io.File
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.DynamicTest.dynamicTest
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.assertThrows

/**
 * The shared conformance vectors (tests/vectors), through the binding: each request case is
 * sent through a transport that records it, each invalid case must fail before sending, each
 * answer is read both on its own (`readAnswer`) and, for successes, as the answer of a call.
 */
class VectorsTest {
    private fun files(): List<File> =
        File(repo, "tests/vectors").listFiles { f -> f.name.endsWith(".json") }!!.sortedBy { it.name }

    @TestFactory
    fun vectors(): List<DynamicTest> = files().flatMap { file ->
        val doc = json.readTree(file)
        val api = doc["api"].asText()
        val method = doc["method"].asText()
        val requests = doc["requests"]?.map { case ->
            dynamicTest("$method request: ${case["name"].asText()}") { request(api, method, case) }
        } ?: emptyList()
        val invalid = doc["invalid"]?.map { case ->
            dynamicTest("$method invalid: ${case["name"].asText()}") { invalid(api, method, case) }
        } ?: emptyList()
        val responses = doc["responses"]?.map { case ->
            dynamicTest("$method response: ${case["name"].asText()}") { response(api, method, case) }
        } ?: emptyList()
        requests + invalid + responses
    }

    private fun request(api: String, method: String, case: JsonNode) = runBlocking {
        val transport = RefusingTransport()
        val call = vectorClient(api, transport)
        val e = assertThrows<RosterException.Transport> {
            runBlocking { call(method, json.writeValueAsString(case["params"])) }
        }
        assertEquals("not_sent", e.transportKind)
        assertEquals(1, transport.sent.size, "one attempt")
        val sent = transport.sent.single()
        val expect = case["expect"]
        assertEquals(expect["http_method"].asText(), sent.method())
        assertEquals(expect["path"].asText(), pathOf(sent.url()))
        for ((name, value) in expect["headers"].properties()) {
            assertEquals(value.asText(), header(sent, name), "header $name")
        }
        assertEquals(strings(expect["query"]), queryOf(sent.url()), "query")
        assertEquals(strings(expect["body"]), decodeForm(String(sent.body())), "body")
    }

    private fun invalid(api: String, method: String, case: JsonNode) {
        val transport = RefusingTransport()
        val call = vectorClient(api, transport)
        val e = assertThrows<RosterException> {
            runBlocking { call(method, json.writeValueAsString(case["params"])) }
        }
        assertErrorMatches(case["error"], e)
        assertTrue(transport.sent.isEmpty(), "nothing may be sent")
    }

    private fun response(api: String, method: String, case: JsonNode) {
        val status = case["status"].asInt()
        val body = case["body"].asText()
        val expectedError = case["error"]
        if (expectedError != null) {
            val e = assertThrows<RosterException> { readAnswer(api, method, status.toUShort(), body.toByteArray()) }
            assertErrorMatches(expectedError, e)
            return
        }
        val expected = case["result"]
        assertEquals(expected, json.readTree(readAnswer(api, method, status.toUShort(), body.toByteArray())))
        // The same answer through a whole call: the transport's response path.
        val transport = StubTransport { response(status, body) }
        val params = minimalParams(api, method)
        val result = runBlocking { vectorClient(api, transport)(method, params) }
        assertEquals(expected, json.readTree(result))
    }

    /** The parameters of the file's first request case: valid by construction. */
    private fun minimalParams(api: String, method: String): String {
        val doc = json.readTree(File(repo, "tests/vectors/$method.json"))
        return json.writeValueAsString(doc["requests"][0]["params"])
    }

    private fun strings(node: JsonNode?): Map<String, String> =
        node?.properties()?.associate { (k, v) -> k to v.asText() } ?: emptyMap()
}
