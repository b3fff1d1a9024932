package io.scanfarm.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * The budget of a fuzz property and the line it prints. The tries a property declares are what CI affords it;
 * {@code -Dscanfarm.fuzz.scale=N} multiplies them and {@code -Dscanfarm.fuzz.tries=N} sets every property to N
 * ({@code deploy/fuzz/run}). CI runs on a fixed seed, so each run tries the same inputs; {@code
 * -Dscanfarm.fuzz.seed=random} draws a new one, any other value replays that seed. Each property prints its
 * tries, seed, time and the {@link FuzzTally} of its input classes; with {@code -Dscanfarm.fuzz.report=FILE}
 * the same figures are appended to FILE as tab-separated rows.
 */
public final class FuzzBudget implements AroundPropertyHook {

    /** The seed CI uses unless told otherwise. */
    public static final String CI_SEED = "20251126";

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        int declared = context.attributes().tries().orElse(1000);
        context.attributes().setTries(tries(declared));
        String seed = System.getProperty("scanfarm.fuzz.seed", CI_SEED);
        if (!seed.equals("random")) {
            context.attributes().setSeed(seed);
        }
        String name = context.containerClass().getSimpleName() + "." + context.targetMethod().getName();
        FuzzTally.reset();
        long start = System.nanoTime();
        PropertyExecutionResult result = property.execute();
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Long> tally = FuzzTally.snapshot();
        String usedSeed = result.seed().orElse(seed);
        System.out.printf(Locale.ROOT, "fuzz %-58s tries=%-7d checks=%-7d seed=%s %.1fs%s%n", name, result.countTries(),
                result.countChecks(), usedSeed, seconds, tally.isEmpty() ? "" : "  " + FuzzTally.format(tally));
        report(name, result, usedSeed, seconds, tally);
        return result;
    }

    /** Registered on a test class, it applies to every property in it. */
    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    /** Runs before jqwik's own hooks, so the tries and seed set here are the ones it uses. */
    @Override
    public int aroundPropertyProximity() {
        return -100;
    }

    static int tries(int declared) {
        String fixed = System.getProperty("scanfarm.fuzz.tries");
        if (fixed != null && !fixed.isBlank()) {
            return Integer.parseInt(fixed.strip());
        }
        String scale = System.getProperty("scanfarm.fuzz.scale");
        if (scale != null && !scale.isBlank()) {
            return (int) Math.min(Integer.MAX_VALUE, Math.round(declared * Double.parseDouble(scale.strip())));
        }
        return declared;
    }

    private static void report(String name, PropertyExecutionResult result, String seed, double seconds, Map<String, Long> tally) {
        String file = System.getProperty("scanfarm.fuzz.report");
        if (file == null || file.isBlank()) {
            return;
        }
        StringBuilder rows = new StringBuilder();
        String head = String.format(Locale.ROOT, "%s\t%d\t%d\t%s\t%s\t%.3f", name, result.countTries(), result.countChecks(),
                seed, result.status(), seconds);
        if (tally.isEmpty()) {
            rows.append(head).append("\t-\t0\n");
        }
        tally.forEach((k, v) -> rows.append(head).append('\t').append(k).append('\t').append(v).append('\n'));
        try {
            Files.writeString(Path.of(file), rows, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
