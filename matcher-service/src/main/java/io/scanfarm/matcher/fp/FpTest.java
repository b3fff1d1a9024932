package io.scanfarm.matcher.fp;

import java.util.List;

/** One fingerprint test as Nmap writes it, e.g. {@code T1(R=Y%DF=Y%T=40)}: a name and its attributes in order. */
public record FpTest(String name, List<Attr> attrs) {

    public FpTest {
        attrs = List.copyOf(attrs);
    }

    /** The value of an attribute, or null when the test does not carry it. */
    public String value(String attr) {
        for (Attr a : attrs) {
            if (a.name().equals(attr)) {
                return a.value();
            }
        }
        return null;
    }

    /** The test of that name among {@code tests}, or null when none has it. */
    public static FpTest named(List<FpTest> tests, String name) {
        for (FpTest t : tests) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** Nmap's printed form: {@code NAME(A=1%B=2)}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append('(');
        for (int i = 0; i < attrs.size(); i++) {
            if (i > 0) {
                sb.append('%');
            }
            sb.append(attrs.get(i).name()).append('=').append(attrs.get(i).value());
        }
        return sb.append(')').toString();
    }
}
