-- Each message index holds only the messages its queries look for, so a transition touches fewer
-- B-trees: an enqueue writes the claim index alone, a claim moves the message from one index to
-- the other, and a settle removes it from the visibility index alone (docs/performance.md).

-- claim: the next ready messages of a queue, by priority (higher first) then seq.
DROP INDEX messages_claim;
CREATE INDEX messages_claim ON messages (queue, priority DESC, seq) WHERE state = 'ready';

-- claim: due delayed messages and expired leases; nextWakeAt. A ready message has no visible_at.
DROP INDEX messages_visible;
CREATE INDEX messages_visible ON messages (queue, state, visible_at) WHERE visible_at IS NOT NULL;
