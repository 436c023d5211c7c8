package dev.roster

/**
 * A password, key or token. Prints as `[redacted]`, so a parameter record that holds one can be
 * logged safely; only the transport ever sees the value.
 */
class Secret(private val value: String) {
    /** The value itself, for the wire. */
    fun reveal(): String = value

    override fun toString(): String = "[redacted]"

    override fun equals(other: Any?): Boolean = other is Secret && other.value == value

    override fun hashCode(): Int = value.hashCode()
}
