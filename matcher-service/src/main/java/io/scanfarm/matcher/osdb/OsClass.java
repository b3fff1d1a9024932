package io.scanfarm.matcher.osdb;

import java.util.List;
import java.util.Objects;

/** A {@code Class vendor | family | generation | type} line and the CPE lines that follow it. Generation may be null. */
public record OsClass(String vendor, String family, String generation, String deviceType, List<String> cpes) {

    public OsClass {
        cpes = List.copyOf(cpes);
    }

    /**
     * Nmap compares classes on these four fields only (FingerPrintResults::classAlreadyExistsInResults). The
     * generation first: the classes of one verdict mostly share vendor, family and type, and differ there.
     */
    public boolean sameClassAs(OsClass o) {
        return Objects.equals(generation, o.generation) && deviceType.equals(o.deviceType) && family.equals(o.family)
                && vendor.equals(o.vendor);
    }

    /**
     * The four naming fields only (equal classes have equal ones, so this agrees with equals): a verdict looks its
     * classes up by value, and hashing the CPE list on every lookup cost more than the rest of the lookup.
     */
    @Override
    public int hashCode() {
        return ((vendor.hashCode() * 31 + family.hashCode()) * 31 + Objects.hashCode(generation)) * 31 + deviceType.hashCode();
    }

    /** Whether {@code classes} already holds one of the same class (a plain loop: it runs for every verdict). */
    public boolean sameClassIn(List<OsClass> classes) {
        for (int i = 0, n = classes.size(); i < n; i++) { // indexed: the client compiler would allocate an iterator
            if (sameClassAs(classes.get(i))) {
                return true;
            }
        }
        return false;
    }
}
