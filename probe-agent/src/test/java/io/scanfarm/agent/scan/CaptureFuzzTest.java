package io.scanfarm.agent.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.scanfarm.fuzz.FuzzBudget;
import io.scanfarm.fuzz.FuzzTally;
import io.scanfarm.fuzz.Mutations;
import io.scanfarm.matcher.packet.Bytes;
import io.scanfarm.matcher.packet.Ipv4;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The capture loop's reading of a captured packet ({@link Answer#of}) on hostile packets made from well-formed
 * answers: it names the host and our port a packet answers, or nothing; it never throws, so one bad packet
 * cannot end a scan of many hosts.
 */
@AddLifecycleHook(FuzzBudget.class)
class CaptureFuzzTest {

    /** Offsets of the header fields parsers trust, in the seeds' layout (IHL 20): IHL, lengths, protocol, data offset, quote. */
    private static final int[] FIELDS = {0, 2, 3, 9, 32, 33, 28, 30, 31, 37, 48, 49, 12, 15};

    @Property(tries = 4000)
    void hostilePacketsAnswerAProbeOrNothing(@ForAll("hostile") Mutations.BytesMutant m) {
        Answer a = Answer.of(m.bytes());
        FuzzTally.count("captured " + m.seed(), a == null ? "answers nothing" : "answers a probe");
        if (a == null) {
            return;
        }
        byte[] b = m.bytes();
        switch (a.protocol()) {
            case Ipv4.TCP -> {
                assertNotNull(a.tcp());
                assertEquals(Bytes.s32(b, 12), a.address(), "a TCP answer is from its source");
                assertEquals(a.tcp().dstPort(), a.port());
            }
            case Ipv4.ICMP -> assertEquals(Bytes.s32(b, 12), a.address(), "an echo reply is from its source");
            default -> assertEquals(Bytes.s32(b, 12), a.address(), "a port unreachable counts only from the probed host");
        }
    }

    @Provide
    Arbitrary<Mutations.BytesMutant> hostile() {
        Arbitrary<Mutations.ByteEdit> field = Combinators.combine(Arbitraries.of(Mutations.ByteOp.SET_BYTE, Mutations.ByteOp.SET_U16),
                Arbitraries.of(toList(FIELDS)), Arbitraries.integers().between(0, 1 << 16))
                .as((op, at, arg) -> new Mutations.ByteEdit(op, at, arg, new byte[0]));
        Arbitrary<List<Mutations.ByteEdit>> edits = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, field), net.jqwik.api.Tuple.of(1, Mutations.byteEdits())).list().ofMinSize(1).ofMaxSize(4);
        List<String> names = List.copyOf(CapturedPackets.all().keySet());
        return Combinators.combine(Arbitraries.of(names), edits).as((name, list) -> {
            byte[] b = CapturedPackets.all().get(name);
            for (Mutations.ByteEdit e : list) {
                b = e.apply(b);
            }
            return new Mutations.BytesMutant(name, list, b);
        });
    }

    private static List<Integer> toList(int[] values) {
        return java.util.Arrays.stream(values).boxed().toList();
    }
}
