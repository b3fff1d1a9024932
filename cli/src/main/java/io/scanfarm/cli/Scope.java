package io.scanfarm.cli;

import io.scanfarm.wire.AddressBlock;
import java.util.ArrayList;
import java.util.List;

/** A list of IPv4 CIDR blocks a scan may touch; empty means no limit. */
final class Scope {

    private final List<AddressBlock> blocks = new ArrayList<>();
    private final String text;

    Scope(String spec) {
        this.text = spec == null ? "" : spec.strip();
        if (text.isEmpty()) {
            return;
        }
        for (String part : text.split(",")) {
            try {
                blocks.add(AddressBlock.parse(part));
            } catch (IllegalArgumentException e) {
                throw new UserError("--allow: " + e.getMessage());
            }
        }
    }

    boolean allows(String dotted) {
        return allows(AddressBlock.address(dotted, dotted));
    }

    boolean allows(long address) {
        for (AddressBlock b : blocks) {
            if (b.contains(address)) {
                return true;
            }
        }
        return blocks.isEmpty();
    }

    @Override
    public String toString() {
        return text;
    }
}
