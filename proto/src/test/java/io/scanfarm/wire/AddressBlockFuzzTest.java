package io.scanfarm.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scanfarm.fuzz.FuzzBudget;
import io.scanfarm.fuzz.FuzzTally;
import io.scanfarm.fuzz.Mutations;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * {@link AddressBlock#parse} on mutated addresses and CIDR blocks: a block that is what the text says, or an
 * {@link IllegalArgumentException} (exactly that class) quoting the text; never another exception.
 */
@AddLifecycleHook(FuzzBudget.class)
class AddressBlockFuzzTest {

    private static final Pattern WELL_FORMED = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}(/[0-9]{1,2})?");

    @Property(tries = 3000)
    void mutatedTextIsABlockOrTheDeclaredError(@ForAll("mutatedBlocks") Mutations.TextMutant m) {
        check(m.text(), "mutated");
    }

    @Property(tries = 2000)
    void dottedTextWithHostileOctetsIsABlockOrTheDeclaredError(@ForAll("hostileDotted") String text) {
        check(text, "hostile octets");
    }

    @Property(tries = 2000)
    void readsAsTheSplittingReaderDid(@ForAll("hostileDotted") String text) {
        String dotted = text.contains("/") ? text.substring(0, text.indexOf('/')) : text;
        assertEquals(splitting(dotted), outcome(dotted));
    }

    @Property(tries = 2000)
    void mutatedTextReadsAsTheSplittingReaderDid(@ForAll("mutatedBlocks") Mutations.TextMutant m) {
        assertEquals(splitting(m.text()), outcome(m.text()));
    }

    /** The address, or the error's message, from AddressBlock.address. */
    private static String outcome(String s) {
        try {
            return String.valueOf(AddressBlock.address(s, s));
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** How AddressBlock.address read a dotted quad before it read it by hand: split at dots, check each part. */
    private static String splitting(String s) {
        String bad = "'" + s + "' is not an IPv4 address (four numbers 0-255 separated by dots)";
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return bad;
        }
        long a = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return bad;
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return "'" + s + "': " + v + " is not an octet (0-255)";
            }
            a = (a << 8) | v;
        }
        return String.valueOf(a);
    }

    private static void check(String text, String inputClass) {
        AddressBlock b;
        try {
            b = AddressBlock.parse(text);
        } catch (IllegalArgumentException e) {
            assertEquals(IllegalArgumentException.class, e.getClass(), "the declared error, not a subclass such as NumberFormatException");
            assertTrue(e.getMessage().startsWith("'" + text + "'"), "the message quotes the text: " + e.getMessage());
            FuzzTally.count(inputClass, "rejected");
            return;
        }
        FuzzTally.count(inputClass, "parsed");
        assertTrue(WELL_FORMED.matcher(text.strip()).matches(), "only dotted quads with an optional prefix parse: " + text);
        assertTrue(b.prefix() >= 0 && b.prefix() <= 32);
        assertTrue(b.first() >= 0 && b.last() <= 0xFFFF_FFFFL && b.first() <= b.last());
        assertEquals(0, b.first() & ~AddressBlock.mask(b.prefix()) & 0xFFFF_FFFFL, "host bits cleared");
        assertEquals(b, AddressBlock.parse(b.toString()), "its printed form reads back as the same block");
    }

    @Provide
    Arbitrary<Mutations.TextMutant> mutatedBlocks() {
        Map<String, String> seeds = new LinkedHashMap<>();
        for (String s : List.of("198.18.0.0/15", "10.0.0.1", "0.0.0.0/0", "255.255.255.255/32", "198.18.16.77/20", " 10.0.0.1/8 ")) {
            seeds.put(s, s);
        }
        return Mutations.text(seeds, Mutations.STRUCTURE, 4);
    }

    @Provide
    Arbitrary<String> hostileDotted() {
        Arbitrary<String> octet = Arbitraries.oneOf(Arbitraries.integers().between(0, 999).map(String::valueOf),
                Arbitraries.of("", "-1", "0000", "00", "+1", "1e2", "0x1F", "\u0661", " 1", "2147483648", "99999999999"));
        Arbitrary<String> prefix = Arbitraries.oneOf(Arbitraries.just(""),
                Arbitraries.integers().between(-1, 99).map(p -> "/" + p), Arbitraries.of("/", "//8", "/0x8", "/\u0663", "/+8"));
        return Arbitraries.oneOf(
                octet.list().ofMinSize(0).ofMaxSize(6).map(l -> String.join(".", l)),
                net.jqwik.api.Combinators.combine(octet.list().ofSize(4).map(l -> String.join(".", l)), prefix).as(String::concat));
    }
}
