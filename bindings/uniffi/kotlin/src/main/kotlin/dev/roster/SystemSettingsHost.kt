package dev.roster

import java.io.File
import java.io.IOException

/**
 * The JVM's environment and files, lent to the core's settings resolver: `System.getenv` for
 * `VOXIMPLANT_CREDENTIALS`, `VOXIMPLANT_BASE_URL`, `VOISO_API_KEY` and `VOISO_BASE_URL`, and
 * `java.io.File` for a `credentials.json` named by a path. The default host of the [Roster]
 * factory; pass another [SettingsHost] (a map, say) to resolve settings from elsewhere.
 *
 * A file that cannot be read is reported with a fixed reason (`No such file or directory`,
 * `Permission denied`, ...), never with the JVM's message, which quotes the path: what was
 * given as a path may be a key put in the wrong place.
 */
object SystemSettingsHost : SettingsHost {
    override fun env(name: String): String? = try {
        System.getenv(name)
    } catch (e: SecurityException) {
        throw HostFailure.Failed("the security manager refused to read the environment")
    }

    override fun readFile(path: String): ByteArray {
        val file = File(path)
        try {
            when {
                !file.exists() -> throw HostFailure.Unreadable("No such file or directory")
                file.isDirectory -> throw HostFailure.Unreadable("Is a directory")
                !file.canRead() -> throw HostFailure.Unreadable("Permission denied")
            }
            return file.readBytes()
        } catch (e: IOException) {
            throw HostFailure.Unreadable("cannot be read (${e.javaClass.simpleName})")
        } catch (e: SecurityException) {
            throw HostFailure.Unreadable("Permission denied")
        }
    }
}
