package dev.roster

/**
 * [text] as the bytes it crosses into Rust as: its UTF-8 form. Every string a call hands in
 * (parameters, the JSON of a call by name, secrets, a base URL) is lowered through here by the
 * generated code (`uniffi.toml`).
 *
 * A Kotlin string can hold a lone surrogate (half of a UTF-16 pair), which has no UTF-8 form:
 * `String.toByteArray` would send `?` in its place, and uniffi's own string lowering throws an
 * untyped `MalformedInputException` naming nothing. Here it becomes the three bytes of its code
 * unit (as CESU-8 and WTF-8 write it), which are not UTF-8, so the Rust side refuses the text
 * with the core's [RosterException.Validation] naming the parameter that holds it (rule
 * `type`), or [RosterException.Config] for a setting, never showing the value.
 */
internal fun textBytes(text: String): ByteArray {
    var i = 0
    while (i < text.length) {
        val c = text[i]
        if (c.isSurrogate()) {
            if (c.isHighSurrogate() && i + 1 < text.length && text[i + 1].isLowSurrogate()) {
                i += 2
                continue
            }
            return withLoneSurrogates(text)
        }
        i++
    }
    return text.toByteArray(Charsets.UTF_8)
}

/** UTF-8, except that each lone surrogate is written as its own three bytes. */
private fun withLoneSurrogates(text: String): ByteArray {
    val out = java.io.ByteArrayOutputStream(text.length * 3)
    var i = 0
    while (i < text.length) {
        val c = text[i]
        val cp: Int
        if (c.isHighSurrogate() && i + 1 < text.length && text[i + 1].isLowSurrogate()) {
            cp = Character.toCodePoint(c, text[i + 1])
            i += 2
        } else {
            cp = c.code
            i++
        }
        when {
            cp < 0x80 -> out.write(cp)
            cp < 0x800 -> {
                out.write(0xC0 or (cp shr 6))
                out.write(0x80 or (cp and 0x3F))
            }
            cp < 0x10000 -> {
                out.write(0xE0 or (cp shr 12))
                out.write(0x80 or ((cp shr 6) and 0x3F))
                out.write(0x80 or (cp and 0x3F))
            }
            else -> {
                out.write(0xF0 or (cp shr 18))
                out.write(0x80 or ((cp shr 12) and 0x3F))
                out.write(0x80 or ((cp shr 6) and 0x3F))
                out.write(0x80 or (cp and 0x3F))
            }
        }
    }
    return out.toByteArray()
}
