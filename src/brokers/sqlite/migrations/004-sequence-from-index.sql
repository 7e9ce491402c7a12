-- Sequence numbers are read from the claim index (src/brokers/sqlite/sequence.ts) instead of
-- drawn from a counter, so an enqueue writes one page fewer. Dropping the counter also makes a
-- process of an earlier release that still has this file open fail loudly the next time it
-- numbers a message (an enqueue, a retry, a promotion), rather than order its messages by a
-- counter nobody else advances.
DROP TABLE counters;
