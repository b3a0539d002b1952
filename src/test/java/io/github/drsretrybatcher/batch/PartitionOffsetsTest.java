package io.github.drsretrybatcher.batch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PartitionOffsetsTest {

    private final PartitionOffsets offsets = new PartitionOffsets();

    @Test
    void nothingIsCommittableBeforeARecordArrives() {
        assertThat(offsets.committable()).isEqualTo(-1);
    }

    @Test
    void theFirstUnfinishedRecordHoldsTheCommitBack() {
        for (long offset = 10; offset < 15; offset++) {
            offsets.received(offset);
        }
        assertThat(offsets.committable()).isEqualTo(10);
        offsets.finished(11);
        offsets.finished(12);
        assertThat(offsets.committable()).isEqualTo(10);
        offsets.finished(10);
        assertThat(offsets.committable()).isEqualTo(13);
        offsets.finished(14);
        offsets.finished(13);
        assertThat(offsets.committable()).isEqualTo(15);
    }

    @Test
    void aCommittedOffsetIsNotOfferedAgain() {
        offsets.received(0);
        offsets.finished(0);
        assertThat(offsets.committable()).isEqualTo(1);
        offsets.committed(1);
        assertThat(offsets.committable()).isEqualTo(-1);
        offsets.received(1);
        assertThat(offsets.committable()).isEqualTo(-1);
        offsets.finished(1);
        assertThat(offsets.committable()).isEqualTo(2);
    }

    @Test
    void gapsInOffsetsAreNotWaitedFor() {
        offsets.received(100);
        offsets.received(105); // 101-104: transaction markers or compacted away
        offsets.finished(100);
        assertThat(offsets.committable()).isEqualTo(105);
        offsets.finished(105);
        assertThat(offsets.committable()).isEqualTo(106);
    }

    @Test
    void offsetsNotReceivedOrFinishedTwiceChangeNothing() {
        offsets.received(50);
        offsets.received(51);
        offsets.finished(7);
        offsets.finished(1_000_000);
        assertThat(offsets.committable()).isEqualTo(50);
        offsets.finished(50);
        offsets.finished(50);
        assertThat(offsets.committable()).isEqualTo(51);
    }

    @Test
    void anOffsetBeforeThePendingOnesIsCounted() {
        offsets.received(20);
        offsets.received(21);
        offsets.received(18); // the partition was sought back
        offsets.finished(20);
        assertThat(offsets.committable()).isEqualTo(18);
        offsets.finished(18);
        assertThat(offsets.committable()).isEqualTo(21);
    }

    @Test
    void aLongRunKeepsTheFirstUnfinishedRecord() {
        offsets.received(0);
        for (long offset = 1; offset <= 100_000; offset++) {
            offsets.received(offset);
            offsets.finished(offset);
        }
        assertThat(offsets.committable()).isZero();
        offsets.finished(0);
        assertThat(offsets.committable()).isEqualTo(100_001);
        for (long offset = 100_001; offset <= 200_000; offset++) {
            offsets.received(offset);
        }
        for (long offset = 100_001; offset < 199_990; offset++) {
            offsets.finished(offset);
        }
        assertThat(offsets.committable()).isEqualTo(199_990);
    }
}
