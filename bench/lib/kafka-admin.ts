/**
 * Kafka housekeeping for the bench, through kafkajs's admin client: topics produced once and reused across rounds
 * and runs (fresh consumer groups read them from the beginning), and the committed-offset check every Kafka
 * contender runs after its measurement (a consumer that never commits is not at-least-once and must not win).
 */
import { AssignerProtocol, Kafka, logLevel, type Admin } from 'kafkajs';

function admin(brokers: readonly string[]): Admin {
  return new Kafka({ clientId: 'tributary-bench-admin', brokers: [...brokers], logLevel: logLevel.NOTHING }).admin();
}

async function withAdmin<T>(brokers: readonly string[], fn: (admin: Admin) => Promise<T>): Promise<T> {
  const client = admin(brokers);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.disconnect();
  }
}

/** Sum over the partitions of the group's committed offsets on `topic` (0 for a partition without one). */
export async function committedTotal(brokers: readonly string[], groupId: string, topic: string): Promise<number> {
  return withAdmin(brokers, async (client) => {
    const [offsets] = await client.fetchOffsets({ groupId, topics: [topic] });
    return (offsets?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  });
}

/** The check a Kafka contender returns: null when at least `handled` records are committed. */
export async function commitCheck(brokers: readonly string[], groupId: string, topic: string, handled: number): Promise<string | null> {
  const committed = await committedTotal(brokers, groupId, topic);
  return committed >= handled ? null : `committed ${committed} < handled ${handled}`;
}

/**
 * Partitions the broker has assigned to the members of a Stable group (0 while it rebalances): when a consumer is
 * warm, seen from the broker, whoever the consumer is (both contenders use the standard consumer protocol).
 */
export async function assignedPartitions(brokers: readonly string[], groupId: string): Promise<number> {
  return withAdmin(brokers, async (client) => {
    const { groups } = await client.describeGroups([groupId]);
    const group = groups[0];
    if (group?.state !== 'Stable') return 0;
    let assigned = 0;
    for (const member of group.members) {
      const decoded = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
      for (const partitions of Object.values(decoded?.assignment ?? {})) assigned += partitions.length;
    }
    return assigned;
  });
}

export async function deleteGroup(brokers: readonly string[], groupId: string): Promise<void> {
  await withAdmin(brokers, (client) => client.deleteGroups([groupId])).catch(() => undefined);
}

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  /** Records in the whole topic, spread round-robin over the partitions. */
  readonly records: number;
  readonly valueBytes: number;
}

/** The value of record `i`: small JSON padded to about `bytes`. */
export function recordValue(i: number, bytes: number): string {
  const head = `{"n":${i},"pad":"`;
  return `${head}${'x'.repeat(Math.max(0, bytes - head.length - 2))}"}`;
}

/** Sum of the partitions' high watermarks, or null when the topic does not exist. */
async function topicSize(client: Admin, topic: string): Promise<{ partitions: number; records: number } | null> {
  const topics = await client.listTopics();
  if (!topics.includes(topic)) return null;
  const offsets = await client.fetchTopicOffsets(topic);
  return { partitions: offsets.length, records: offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0) };
}

/**
 * Makes sure `spec.name` holds exactly `spec.records` records in `spec.partitions` partitions: reused when it does
 * (producing a million records takes a while), otherwise (re)created and produced, 8 requests in flight.
 */
export async function ensureTopic(brokers: readonly string[], spec: TopicSpec, log: (line: string) => void): Promise<void> {
  const kafka = new Kafka({ clientId: 'tributary-bench-producer', brokers: [...brokers], logLevel: logLevel.NOTHING });
  const client = kafka.admin();
  await client.connect();
  try {
    const size = await topicSize(client, spec.name);
    if (size !== null && size.partitions === spec.partitions && size.records === spec.records) {
      log(`reusing topic ${spec.name} (${spec.records} records)`);
      return;
    }
    if (size !== null) {
      await client.deleteTopics({ topics: [spec.name] });
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
    await client.createTopics({ topics: [{ topic: spec.name, numPartitions: spec.partitions, replicationFactor: 1 }], waitForLeaders: true });
    const started = performance.now();
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      const chunk = 5_000;
      const inFlight: Promise<unknown>[] = [];
      for (let from = 0; from < spec.records; from += chunk) {
        const messages = [];
        for (let i = from; i < Math.min(spec.records, from + chunk); i += 1) {
          messages.push({ partition: i % spec.partitions, key: `k${i % 1024}`, value: recordValue(i, spec.valueBytes) });
        }
        inFlight.push(producer.send({ topic: spec.name, acks: 1, messages }));
        if (inFlight.length >= 8) await inFlight.shift();
      }
      await Promise.all(inFlight);
    } finally {
      await producer.disconnect();
    }
    const produced = await topicSize(client, spec.name);
    if (produced?.records !== spec.records) throw new Error(`topic ${spec.name}: produced ${produced?.records ?? 0} of ${spec.records} records`);
    log(`produced ${spec.records} records into ${spec.name} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await client.disconnect();
  }
}

/**
 * Creates an empty topic and waits until every partition has a leader. kafkajs's own `waitForLeaders` gives up on
 * the first "does not host this topic-partition" while a fresh broker is still electing hundreds of leaders.
 */
export async function createEmptyTopic(brokers: readonly string[], topic: string, partitions: number): Promise<void> {
  await withAdmin(brokers, async (client) => {
    if ((await client.listTopics()).includes(topic)) await client.deleteTopics({ topics: [topic] });
    await client.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: false, timeout: 60_000 });
    const deadline = Date.now() + 120_000;
    for (;;) {
      const led = await client
        .fetchTopicMetadata({ topics: [topic] })
        .then((m) => (m.topics[0]?.partitions ?? []).filter((p) => p.leader >= 0).length)
        .catch(() => 0);
      if (led >= partitions) return;
      if (Date.now() > deadline) throw new Error(`topic ${topic}: ${led} of ${partitions} partitions have a leader after 120 s`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  });
}

export async function deleteTopic(brokers: readonly string[], topic: string): Promise<void> {
  await withAdmin(brokers, (client) => client.deleteTopics({ topics: [topic] })).catch(() => undefined);
}
