/**
 * Lab mode (issue 21): what the page and the lab bridge say to each other over HTTP on loopback.
 * The bridge runs or watches a real ZooKeeper ensemble; the page's worker polls its state and the
 * servers' logs, and asks it for faults. Both sides read the other as untrusted input: through
 * these schemas, with sizes bounded, a failure a message and never an exception.
 */
import { z } from 'zod';

/** Most servers a lab ensemble has (voters and observers): the ports and proxies are laid out for this many. */
export const LAB_MAX_SERVERS = 9;
/** Most bytes of a server's log one request returns; the page asks again from where it stopped. */
export const LAB_LOG_CHUNK = 1 << 20;

/** Most writes a second the lab's steady load makes (a real client, one session). */
export const LAB_MAX_RATE = 50;

const id = z.number().int().min(1).max(LAB_MAX_SERVERS);

/** The AdminServer's `zabstate` (QuorumPeer.ZabState, lower case), or 'not serving' between roles. */
export const ZabPhaseSchema = z.enum(['election', 'discovery', 'synchronization', 'broadcast', 'not serving']);
export type ZabPhase = z.infer<typeof ZabPhaseSchema>;

/**
 * The figures of `mntr` (or the AdminServer's `monitor`) a lab shows, by ZooKeeper's names
 * without `zk_` (ServerStats, ServerMetrics of 3.6+; a leader adds learners and synced_*).
 */
export const LAB_MNTR_KEYS: readonly string[] = [
  'server_state',
  'uptime',
  'znode_count',
  'num_alive_connections',
  'outstanding_requests',
  'avg_latency',
  'max_latency',
  'quorum_size',
  'learners',
  'synced_followers',
  'synced_observers',
  'pending_syncs',
  'looking_count',
  // summaries are named avg_<name>, cnt_<name> (AvgMinMaxCounter.values)
  'cnt_election_time',
  'avg_election_time',
];

/** What a person can do to a real ensemble (the verbs of issue 21): nothing else is accepted. */
export const LabActionSchema = z.discriminatedUnion('verb', [
  z.object({ verb: z.literal('crash'), id }).strict(),
  z.object({ verb: z.literal('restart'), id }).strict(),
  z.object({ verb: z.literal('pause'), id }).strict(),
  z.object({ verb: z.literal('resume'), id }).strict(),
  z.object({ verb: z.literal('cut'), a: id, b: id }).strict(),
  z.object({ verb: z.literal('mend'), a: id, b: id }).strict(),
  z.object({ verb: z.literal('partition'), groups: z.array(z.array(id).max(LAB_MAX_SERVERS)).min(1).max(LAB_MAX_SERVERS) }).strict(),
  z.object({ verb: z.literal('heal') }).strict(),
  z.object({ verb: z.literal('write'), count: z.number().int().min(1).max(100), node: id.optional() }).strict(),
  /** a steady client load: this many creates a second, through one real session (0 stops it) */
  z.object({ verb: z.literal('rate'), perSecond: z.number().int().min(0).max(LAB_MAX_RATE) }).strict(),
  /** a client read of / through a session on server `node`: answered from that server's own tree */
  z.object({ verb: z.literal('read'), node: id }).strict(),
]);
export type LabAction = z.infer<typeof LabActionSchema>;

/** A server as the bridge sees it: its process, and what it answers on its client port. */
export const LabServerSchema = z
  .object({
    id,
    role: z.enum(['voter', 'observer']),
    /** its process runs (run mode), or it answered lately (attach mode) */
    up: z.boolean(),
    /** stopped with SIGSTOP */
    paused: z.boolean(),
    /** `srvr`: its Mode (null while it is not serving: being elected, or down) and last zxid */
    mode: z.enum(['leader', 'follower', 'observer', 'standalone']).nullable(),
    zxid: z.number().int().min(0).nullable(),
    /** its epoch files (run mode: its data dir; attach mode: not known) */
    acceptedEpoch: z.number().int().min(0).nullable(),
    currentEpoch: z.number().int().min(0).nullable(),
    /** bytes of its log so far */
    logBytes: z.number().int().min(0),
    /** its AdminServer's zabstate (null: none answered) */
    zab: ZabPhaseSchema.nullable().optional(),
    /** mntr's figures (LAB_MNTR_KEYS), as the server wrote them */
    mntr: z.record(z.string().max(40), z.string().max(80)).refine((r) => Object.keys(r).length <= LAB_MNTR_KEYS.length).optional(),
  })
  .strict();
export type LabServer = z.infer<typeof LabServerSchema>;

/** Most reads a lab state carries (the newest). */
export const LAB_MAX_READS = 20;

/**
 * A client's read of / on one server, as the real client library got it: how many children it
 * saw and the zxid of the last change to them (the znode's pzxid), beside the leader's last zxid
 * at that moment. A follower answers from its own tree, so it can be behind: that is allowed.
 */
export const LabReadSchema = z
  .object({
    at: z.number(),
    node: id,
    children: z.number().int().min(0).nullable(),
    pzxid: z.number().int().min(0).nullable(),
    /** the server's own last zxid and the leader's, as the bridge's last srvr gave them when the read was sent (null: not known) */
    zxid: z.number().int().min(0).nullable(),
    leaderZxid: z.number().int().min(0).nullable(),
    /** why there is no answer (the server did not take a session: it is being elected, say) */
    error: z.string().max(200).nullable(),
  })
  .strict();
export type LabRead = z.infer<typeof LabReadSchema>;

export const LabStateSchema = z
  .object({
    /** run: the bridge started the ensemble and may break it; attach: it watches one, read-only */
    mode: z.enum(['run', 'attach']),
    /** the ZooKeeper release the servers run (their jar's version), e.g. "3.8.0" */
    release: z.string().max(40),
    /** wall-clock ms (UTC) when the bridge started: the lab's time 0 */
    origin: z.number(),
    /** wall-clock ms now, on the bridge's clock */
    now: z.number(),
    /** the servers' tickTime in ms (run mode: as configured; attach mode: 2000, ZooKeeper's sample) */
    tickTime: z.number().int().min(1).max(600_000),
    servers: z.array(LabServerSchema).max(LAB_MAX_SERVERS),
    /** the steady client load running, in creates a second (0: none) */
    rate: z.number().int().min(0).max(LAB_MAX_RATE),
    /** links cut, as pairs of servers */
    cut: z.array(z.tuple([id, id])).max(LAB_MAX_SERVERS * LAB_MAX_SERVERS),
    /** what the person did, with the wall-clock moment the bridge did it */
    actions: z.array(z.object({ at: z.number(), action: LabActionSchema }).strict()).max(10_000),
    /** the newest client reads, oldest first */
    reads: z.array(LabReadSchema).max(LAB_MAX_READS).optional(),
  })
  .strict();
export type LabState = z.infer<typeof LabStateSchema>;

export const LabLogSchema = z.object({ id, from: z.number().int().min(0), text: z.string().max(LAB_LOG_CHUNK * 4) }).strict();
export type LabLog = z.infer<typeof LabLogSchema>;

/** The header that carries the per-run token (never a cookie: another site's page cannot send it). */
export const LAB_TOKEN_HEADER = 'x-zab-viz-lab';

/** Read an action sent to the bridge: the action, or why not. */
export function readLabAction(body: unknown): { action: LabAction } | { error: string } {
  const r = LabActionSchema.safeParse(body);
  if (!r.success) return { error: `not an action the lab offers: ${r.error.issues[0]?.message ?? 'invalid'}` };
  const a = r.data;
  if ((a.verb === 'cut' || a.verb === 'mend') && a.a === a.b) return { error: 'a link joins two different servers' };
  return { action: a };
}
