package dev.roster

import java.math.BigDecimal
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import okhttp3.OkHttpClient
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows

/** The typed Kotlin API against the emulator over HTTPS, with the default and custom transports. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmulatorScenarioTest {
    private lateinit var emu: Emulator
    private lateinit var vox: Voximplant
    private var appId: Long = 0

    @BeforeAll
    fun start() = runBlocking {
        emu = Emulator()
        vox = Roster.voximplant(
            emu.credentialsJson, emu.baseUrl, HttpUrlConnectionTransport(emu.sslContext.socketFactory),
        )
        appId = vox.applications().addApplication(AddApplication(applicationName = "kotlin-app")).applicationId!!
    }

    @AfterAll
    fun stop() = emu.close()

    @Test
    fun `a user's whole life`() = runBlocking {
        val users = vox.users
        val created = users.addUser(
            AddUser(userName = "jdoe", userDisplayName = "John Doe", userPassword = Secret("S3cure!pass"), applicationId = appId),
        )
        val id = assertNotNull(created.userId).let { created.userId!! }

        val page = users.getUsers(GetUsers(applicationId = appId, userId = id, withSkills = true))
        assertEquals(listOf("John Doe"), page.items.map { it.userDisplayName })

        users.setUserInfo(SetUserInfo(userId = id, applicationId = appId, userDisplayName = "Jane Doe", userActive = false))
        val skills = vox.skills()
        val skillId = skills.addSkill(AddSkill(skillName = "english")).skillId!!
        skills.bindSkill(BindSkill(skillId = IdList.Ids(listOf(skillId)), userId = IdList.Ids(listOf(id)), applicationId = appId))
        users.transferMoneyToUser(TransferMoneyToUser(amount = BigDecimal("15.75"), userId = IdList.Ids(listOf(id)), applicationId = appId))

        val user = users.getUsers(GetUsers(applicationId = appId, userId = id, withSkills = true)).items.single()
        assertEquals("Jane Doe", user.userDisplayName)
        assertEquals(false, user.userActive)
        assertEquals(listOf("english"), user.skills!!.map { it.skillName })
        assertEquals(0, BigDecimal("15.75").compareTo(user.balance), "balance ${user.balance}")
        assertNotNull(user.created)

        users.delUser(DelUser(userId = IdList.Ids(listOf(id)), applicationId = appId))
        assertTrue(users.getUsers(GetUsers(applicationId = appId, userId = id)).items.isEmpty())
    }

    @Test
    fun `auto-paging yields every user once`() = runBlocking {
        val users = vox.users()
        val names = (1..7).map { "pager-$it" }
        for (n in names) users.addUser(AddUser(n, "Pager $n", Secret("S3cure!pass"), applicationId = appId))
        val listed = vox.users.getUsersFlow(GetUsers(applicationId = appId, count = 3))
            .map { it.userName!! }.toList()
        assertEquals(names, listed.filter { it.startsWith("pager-") })
        assertEquals(listed.size, listed.toSet().size)
    }

    @Test
    fun `API errors and validation errors are typed`() = runBlocking {
        val users = vox.users()
        users.addUser(AddUser("taken", "Taken", Secret("S3cure!pass"), applicationId = appId))
        val dup = assertThrows<RosterException.Api> {
            runBlocking { users.addUser(AddUser("taken", "Again", Secret("S3cure!pass"), applicationId = appId)) }
        }
        assertEquals(118L, dup.apiCode)
        assertEquals("conflict", dup.kind)
        assertEquals("api", dup.code())

        val bad = assertThrows<RosterException.Validation> {
            runBlocking { users.addUser(AddUser("Bad Name", "X", Secret("Sup3rSecret!"), applicationId = appId)) }
        }
        assertEquals("user_name", bad.parameter)
        assertEquals("pattern", bad.rule)
        assertFalse(bad.message!!.contains("Sup3rSecret"))
    }

    @Test
    fun `a lost AddUser is recovered by lookup, never doubled`() = runBlocking {
        emu.setFaults("AddUser=drop_after_apply")
        try {
            val created = vox.users().addUser(AddUser("lost-write", "Lost", Secret("S3cure!pass"), applicationId = appId))
            assertNotNull(created.userId)
        } finally {
            emu.setFaults("")
        }
        val found = vox.users().getUsers(GetUsers(applicationId = appId, userName = "lost-write")).items
        assertEquals(1, found.count { it.userName == "lost-write" })
    }

    @Test
    fun `a custom transport written here carries the calls`() = runBlocking {
        val inner = HttpUrlConnectionTransport(emu.sslContext.socketFactory)
        val seen = mutableListOf<String>()
        val printed = mutableListOf<String>()
        val tokens = mutableListOf<String>()
        val counting = object : HttpTransport {
            override suspend fun send(request: HttpRequest): HttpResponse {
                seen += request.redacted()
                printed += "$request" // what a careless println would show
                tokens += header(request, "authorization")!!.substringAfter(' ')
                return inner.send(request)
            }
        }
        val client = Roster.voximplant(emu.credentialsJson, emu.baseUrl, counting)
        val apps = client.applications().getApplications(GetApplications())
        assertTrue(apps.items.any { it.applicationId == appId })
        assertEquals(1, seen.size)
        assertTrue(seen.single().contains("GetApplications"))
        // The emulator accepted the real bearer token, which the printed request never shows.
        assertTrue(tokens.single().length > 20, "a signed token")
        assertTrue(printed.single().contains("authorization: Bearer [redacted]"), printed.single())
        assertFalse(printed.single().contains(tokens.single()), printed.single())
    }

    @Test
    fun `the OkHttp adapter works against the emulator`() = runBlocking {
        val ok = OkHttpClient.Builder().sslSocketFactory(emu.sslContext.socketFactory, emu.trustManager).build()
        val client = Roster.voximplant(emu.credentialsJson, emu.baseUrl, OkHttpTransport(ok))
        val skills = client.skills()
        val id = skills.addSkill(AddSkill(skillName = "okhttp-skill")).skillId!!
        assertEquals(listOf("okhttp-skill"), skills.getSkills(GetSkills(skillId = id)).items.map { it.skillName })
    }

    @Test
    fun `Voiso lists its users`() = runBlocking {
        val voiso = Roster.voiso(emu.voisoKey, emu.baseUrl, HttpUrlConnectionTransport(emu.sslContext.socketFactory))
        val page = voiso.users().listUsers(ListUsers())
        assertNotNull(page.items)
        val wrong = Roster.voiso("wrong-key", emu.baseUrl, HttpUrlConnectionTransport(emu.sslContext.socketFactory))
        val e = assertThrows<RosterException.Api> { runBlocking { wrong.users().listUsers(ListUsers()) } }
        assertEquals("auth", e.kind)
    }
}
