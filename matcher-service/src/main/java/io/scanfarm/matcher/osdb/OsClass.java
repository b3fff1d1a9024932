package io.scanfarm.matcher.osdb;

import java.util.List;

/** A {@code Class vendor | family | generation | type} line and the CPE lines that follow it. Generation may be null. */
public record OsClass(String vendor, String family, String generation, String deviceType, List<String> cpes) {

    public OsClass {
        cpes = List.copyOf(cpes);
    }

    /** Nmap compares classes on these four fields only (FingerPrintResults::classAlreadyExistsInResults). */
    public boolean sameClassAs(OsClass o) {
        return vendor.equals(o.vendor) && family.equals(o.family) && deviceType.equals(o.deviceType)
                && java.util.Objects.equals(generation, o.generation);
    }

    /** Whether {@code classes} already holds one of the same class (a plain loop: it runs for every verdict). */
    public boolean sameClassIn(List<OsClass> classes) {
        for (OsClass c : classes) {
            if (sameClassAs(c)) {
                return true;
            }
        }
        return false;
    }
}
