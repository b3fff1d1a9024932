package io.scanfarm.matcher.observation;

/** How the target was reached, which decides how Nmap states the distance (SCAN DC: L, D, or I from U1). */
public enum Route {
    /** The target is this machine (DS=0, DC=L). */
    LOCALHOST,
    /** On a directly attached link, its MAC known (DS=1, DC=D). */
    DIRECT,
    /** Through routers: the distance comes from the U1 answer (DC=I), if any. */
    ROUTED
}
