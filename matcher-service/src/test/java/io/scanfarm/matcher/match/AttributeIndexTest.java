package io.scanfarm.matcher.match;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The index answers exactly what evaluating every expression would: random expressions in nmap-os-db's grammar
 * (literals, ranges, '<'/'>' bounds, empty alternatives, hex that looks like text and text that looks like hex)
 * against random values, with a fixed seed so a failure can be replayed.
 */
class AttributeIndexTest {

    private static final String[] ATOMS = {"", "0", "1", "A", "E", "S", "S+", "Z", "RD", "M5B4", "M5B4W0L", "FFFF",
        "79", "B0", "100", "1000000", "0x10", " 5", "+7", "-3", "G", "O"};

    @Test
    void indexFindsExactlyTheExpressionsThatMatch() {
        Random rnd = new Random(20261125L);
        for (int round = 0; round < 200; round++) {
            List<String> texts = new ArrayList<>(new TreeSet<>(randomExpressions(rnd, 40)));
            Expression[] exprs = new Expression[texts.size()];
            int[] ids = new int[texts.size()];
            for (int i = 0; i < exprs.length; i++) {
                exprs[i] = Expression.compile(texts.get(i));
                ids[i] = i;
            }
            AttributeIndex index = new AttributeIndex(ids, exprs);
            for (int v = 0; v < 60; v++) {
                SubjectValue value = SubjectValue.of(randomValue(rnd));
                TreeSet<Integer> expected = new TreeSet<>();
                for (int i = 0; i < exprs.length; i++) {
                    if (exprs[i].matches(value)) {
                        expected.add(i);
                    }
                }
                TreeSet<Integer> got = new TreeSet<>();
                index.forEachMatch(value, got::add);
                assertEquals(expected, got, () -> "value '" + value.text() + "' against " + texts);
            }
        }
    }

    private static List<String> randomExpressions(Random rnd, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int alts = 1 + rnd.nextInt(3);
            StringBuilder sb = new StringBuilder();
            for (int a = 0; a < alts; a++) {
                if (a > 0) {
                    sb.append('|');
                }
                switch (rnd.nextInt(5)) {
                    case 0 -> sb.append(Integer.toHexString(rnd.nextInt(300)).toUpperCase()).append('-')
                            .append(Integer.toHexString(300 + rnd.nextInt(300)).toUpperCase());
                    case 1 -> sb.append(rnd.nextBoolean() ? '<' : '>').append(Integer.toHexString(rnd.nextInt(600)).toUpperCase());
                    default -> sb.append(ATOMS[rnd.nextInt(ATOMS.length)]);
                }
            }
            out.add(sb.toString());
        }
        return out;
    }

    private static String randomValue(Random rnd) {
        return switch (rnd.nextInt(4)) {
            case 0 -> Integer.toHexString(rnd.nextInt(700)).toUpperCase();
            case 1 -> Integer.toHexString(rnd.nextInt(700));
            case 2 -> ATOMS[rnd.nextInt(ATOMS.length)] + (rnd.nextBoolean() ? "" : ATOMS[rnd.nextInt(ATOMS.length)]);
            default -> ATOMS[rnd.nextInt(ATOMS.length)];
        };
    }
}
