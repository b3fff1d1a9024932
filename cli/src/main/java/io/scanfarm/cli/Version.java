package io.scanfarm.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest, or "development" when run from classes. */
final class Version implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"scanfarm " + (v == null ? "development" : v)};
    }

    /** The version for a fingerprint's SCAN line (V=): digits and dots only, as Nmap writes its own. */
    static String number() {
        String v = Main.class.getPackage().getImplementationVersion();
        return "SF" + (v == null ? "0" : v.replaceAll("[^0-9.]", ""));
    }
}
