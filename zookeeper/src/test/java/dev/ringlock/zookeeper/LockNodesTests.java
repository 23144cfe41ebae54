package dev.ringlock.zookeeper;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LockNodesTests {

    private static final String PROTECTION = "_c_0b6a1f0e-3c1d-4e8f-9a5b-7d2c4e6f8a10-";

    private static String node(String name, int sequence) {
        return PROTECTION + name + String.format("%010d", sequence);
    }

    @Test
    void everyKindIsToldFromItsName() {
        assertThat(LockNodes.isWrite(node(LockNodes.WRITE, 1))).isTrue();
        assertThat(LockNodes.isWrite(node(LockNodes.READ, 1))).isFalse();
        assertThat(LockNodes.isWait(node(LockNodes.waitName(12), 3))).isTrue();
        assertThat(LockNodes.isLease(node(LockNodes.leaseName(12), 3))).isTrue();
        assertThat(LockNodes.isLease(node(LockNodes.waitName(12), 3))).isFalse();
        assertThat(LockNodes.permitsOf(node(LockNodes.WRITE, 1))).isEqualTo(1);
        assertThat(LockNodes.permitsOf(node(LockNodes.READ, 1))).isEqualTo(1);
        assertThat(LockNodes.permitsOf(node(LockNodes.waitName(12), 2))).isEqualTo(12);
        assertThat(LockNodes.permitsOf(node(LockNodes.leaseName(5), 2))).isEqualTo(5);
    }

    @Test
    void nodesOfEveryKindAreOrderedBySequenceAlone() {
        List<String> children = new ArrayList<>(List.of(node(LockNodes.leaseName(3), 4), node(LockNodes.WRITE, 2),
                node(LockNodes.waitName(3), 10), node(LockNodes.READ, 3), node(LockNodes.READ, 1)));
        children.sort(ZooKeeperPaths.BY_SEQUENCE);
        assertThat(children).extracting(name -> name.substring(name.length() - 2))
                .containsExactly("01", "02", "03", "04", "10");
    }

    @Test
    void onlyNodesBeforeOursWithAnotherCountAreAMismatch() {
        List<String> sorted = List.of(node(LockNodes.READ, 1), node(LockNodes.WRITE, 2), node(LockNodes.leaseName(2), 3));
        LockNodes.requireOneCount("k", sorted, 2, 1);
        assertThatIllegalArgumentException().isThrownBy(() -> LockNodes.requireOneCount("order:42", sorted, 2, 2))
                .withMessage("Lock 'order:42' is in use with 1 permit(s) and was asked for with 2 permit(s) on ZooKeeper;"
                        + " use one number of permits per key (a READ or exclusive lock counts as one)");
    }
}
