package dev.roster.bench

import org.openjdk.jmh.runner.Runner
import org.openjdk.jmh.runner.options.OptionsBuilder
import org.openjdk.jmh.runner.options.TimeValue
import org.openjdk.jmh.runner.options.VerboseMode

/**
 * Runs [GetUsersBench] under JMH and prints the binding's cost against Jackson's.
 *
 * The machine is shared and its load drifts, so the contenders are interleaved: each round runs
 * every contender in a fresh fork (warm-up, then timed iterations), in alternating order. The
 * figures are medians over all timed iterations of all rounds, and the ratio is also given per
 * round, where both sides met the same load. Run: bench/kotlin/run.sh.
 *
 * The warm-up is long (10 s per fork) because the binding's code is large: the JIT takes about
 * 8 s to finish with the generated converters and the coroutine machinery, and a shorter
 * warm-up measured the compiler rather than the steady state (Jackson is warm within 2 s).
 *
 * Environment: ROSTER_BENCH_ROUNDS (default 3), ROSTER_BENCH_WARMUPS and ROSTER_BENCH_ITERATIONS
 * (warm-up and timed iterations of one second per fork, default 10 and 5), ROSTER_BENCH_JVM_ARGS
 * (extra options for the forks).
 */
fun main() {
    val rounds = System.getenv("ROSTER_BENCH_ROUNDS")?.toInt() ?: 3
    val iterations = System.getenv("ROSTER_BENCH_ITERATIONS")?.toInt() ?: 5
    val warmups = System.getenv("ROSTER_BENCH_WARMUPS")?.toInt() ?: 10
    val extraJvmArgs = System.getenv("ROSTER_BENCH_JVM_ARGS")?.split(' ')?.filter { it.isNotBlank() }.orEmpty()
    val names = listOf("binding", "jackson", "orgJson")
    val labels = mapOf(
        "binding" to "binding: getUsers, stub transport",
        "jackson" to "Jackson readTree",
        "orgJson" to "org.json JSONObject",
    )
    val scores = names.associateWith { mutableListOf<Double>() }
    val roundRatios = mutableListOf<Double>()

    for (round in 1..rounds) {
        val order = if (round % 2 == 1) names else names.reversed()
        val medians = order.associateWith { name ->
            val opts = OptionsBuilder()
                .include("${GetUsersBench::class.java.name}.$name$")
                .forks(1)
                .warmupIterations(warmups)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend("-Xms1g", "-Xmx1g", *extraJvmArgs.toTypedArray())
                .verbosity(VerboseMode.SILENT)
                .build()
            val iterationScores = Runner(opts).run().flatMap { run ->
                run.benchmarkResults.flatMap { fork -> fork.iterationResults.map { it.primaryResult.score } }
            }
            scores.getValue(name) += iterationScores
            median(iterationScores)
        }
        val ratio = medians.getValue("binding") / medians.getValue("jackson")
        roundRatios += ratio
        println(
            "round %d: binding %.1f µs, Jackson %.1f µs, org.json %.1f µs  binding/Jackson %.2fx".format(
                round, medians["binding"], medians["jackson"], medians["orgJson"], ratio,
            ),
        )
    }

    println(
        "body: ${getUsersBody(100).size} bytes, 100 users; $rounds rounds of one fork per contender, " +
            "$warmups warm-up and $iterations timed 1 s iterations each",
    )
    for (name in names) {
        val s = scores.getValue(name).sorted()
        println("%-36s median %8.1f µs/call  (min %.1f, max %.1f)".format(labels[name], median(s), s.first(), s.last()))
    }
    val binding = median(scores.getValue("binding"))
    println(
        "binding / Jackson  = %.2fx (target <= 3x; per round %s)".format(
            binding / median(scores.getValue("jackson")),
            roundRatios.joinToString(", ") { "%.2f".format(it) },
        ),
    )
    println("binding / org.json = %.2fx".format(binding / median(scores.getValue("orgJson"))))
}

private fun median(xs: List<Double>): Double {
    val s = xs.sorted()
    return if (s.size % 2 == 1) s[s.size / 2] else (s[s.size / 2 - 1] + s[s.size / 2]) / 2
}
