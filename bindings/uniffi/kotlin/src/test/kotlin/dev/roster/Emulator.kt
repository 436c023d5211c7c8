package dev.roster

import java.io.File
import java.net.URL
import java.nio.file.Files
import java.security.KeyStore
import java.security.cert.CertificateFactory
import java.util.concurrent.TimeUnit
import javax.net.ssl.HttpsURLConnection
import javax.net.ssl.SSLContext
import javax.net.ssl.TrustManagerFactory
import javax.net.ssl.X509TrustManager

/**
 * The emulator binary over HTTPS with a fresh CA, key and Voiso key. `scripts/test-kotlin.sh`
 * builds it and passes its path in `ROSTER_EMULATOR`.
 */
class Emulator : AutoCloseable {
    private val dir: File = Files.createTempDirectory("roster-kt-emu").toFile()
    private val process: Process
    val baseUrl: String
    val credentialsJson: String
    val voisoKey: String
    val trustManager: X509TrustManager
    val sslContext: SSLContext

    init {
        val binary = System.getenv("ROSTER_EMULATOR")?.takeIf { it.isNotBlank() }
            ?: error("ROSTER_EMULATOR is not set: run scripts/test-kotlin.sh, which builds the emulator")
        process = ProcessBuilder(
            binary, "--addr", "127.0.0.1:0", "--tls",
            "--ca-out", "$dir/ca.pem", "--credentials-out", "$dir/creds.json", "--voiso-key-out", "$dir/voiso.key",
        ).redirectError(ProcessBuilder.Redirect.INHERIT).start()
        val line = process.inputStream.bufferedReader().readLine()
            ?: error("the emulator exited before it was ready")
        baseUrl = line.substringAfter("listening on ").trim()
        credentialsJson = File(dir, "creds.json").readText()
        voisoKey = File(dir, "voiso.key").readText().trim()
        val ca = File(dir, "ca.pem").inputStream().use { CertificateFactory.getInstance("X.509").generateCertificate(it) }
        val store = KeyStore.getInstance(KeyStore.getDefaultType()).apply {
            load(null, null)
            setCertificateEntry("roster-emulator-ca", ca)
        }
        val tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm()).apply { init(store) }
        trustManager = tmf.trustManagers.filterIsInstance<X509TrustManager>().single()
        sslContext = SSLContext.getInstance("TLS").apply { init(null, arrayOf(trustManager), null) }
    }

    /** An admin request (`/_emulator/...`); returns the body. */
    fun admin(method: String, path: String, body: String? = null): String {
        val conn = URL(baseUrl.trimEnd('/') + path).openConnection() as HttpsURLConnection
        conn.sslSocketFactory = sslContext.socketFactory
        conn.requestMethod = method
        if (body != null) {
            conn.doOutput = true
            conn.setRequestProperty("content-type", "application/json")
            conn.outputStream.use { it.write(body.toByteArray()) }
        }
        val code = conn.responseCode
        val text = (if (code >= 400) conn.errorStream else conn.inputStream)?.use { String(it.readBytes()) } ?: ""
        check(code in 200..299) { "admin $method $path: HTTP $code $text" }
        return text
    }

    fun setFaults(spec: String) {
        admin("POST", "/_emulator/faults", """{"spec":"$spec","seed":1}""")
    }

    override fun close() {
        process.destroy()
        process.waitFor(5, TimeUnit.SECONDS)
        dir.deleteRecursively()
    }
}

