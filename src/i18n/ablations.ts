/**
 * Names and one-sentence descriptions of the ablations, the rules a person can switch off on
 * purpose to see what breaks: `ablation.<protocol>.<switch>.name` / `.desc`, plus the events the
 * ablated branches note (`ev.*`).
 */
export const ablationMessages = {
  en: {
    'ablation.zab.liveQuorum.name': 'Quorum of the reachable',
    'ablation.zab.liveQuorum.desc': 'A quorum is a majority of the voters a server can currently reach, not of the configured voters, so a minority partition can elect and commit.',
    'ablation.zab.noEpochFencing.name': 'No epoch fencing',
    'ablation.zab.noEpochFencing.desc': 'A learner accepts a leader whose epoch is older than the epoch it already accepted, instead of refusing it. Alone it breaks no invariant in ZAB: a new epoch is always above the accepted epochs of a quorum.',
    'ablation.zab.commitEarly.name': 'Commit early',
    'ablation.zab.commitEarly.desc': 'The leader commits a proposal as soon as its own log write completes, without waiting for a quorum of ACKs.',
    'ablation.zab.noTrunc.name': 'No TRUNC',
    'ablation.zab.noTrunc.desc': 'A learner whose log runs past the new leader’s is sent DIFF instead of TRUNC and keeps txns nobody committed.',
    'ablation.zab.voteByMyid.name': 'Vote by myid only',
    'ablation.zab.voteByMyid.desc': 'Leader election orders votes by myid alone, ignoring epoch and zxid, so a server with a shorter log can win. Alone it breaks no invariant: the winner cannot establish its epoch while a follower is ahead of it (a stall, not a loss).',
    'ablation.zab.noFinalizeWait.name': 'No finalizeWait',
    'ablation.zab.noFinalizeWait.desc': 'Leader election decides as soon as a quorum agrees, without waiting finalizeWait for a better vote. Alone it breaks no invariant: quorums intersect; elections only end sooner, on a worse leader.',
    'ablation.twopc.presumeCommit.name': 'Presume commit',
    'ablation.twopc.presumeCommit.desc': 'The coordinator commits a transaction whose votes did not all arrive, and one it finds undecided after a restart, instead of aborting it.',
    'ablation.paxos.forgetPromise.name': 'Forget promises',
    'ablation.paxos.forgetPromise.desc': 'An acceptor restarts with its promise reset, as if it had never written it to disk, so it may accept a ballot it had promised to ignore.',
    'ev.acceptsOlderEpoch': 'accepts epoch {epoch}, older than its accepted epoch {accepted} (deliberate bug)',
  },
  zh: {
    'ablation.zab.liveQuorum.name': '可达者过半',
    'ablation.zab.liveQuorum.desc': '过半数按服务器当前能联系上的投票者计算，而不是按配置的投票者，因此少数派分区也能选出领导者并提交。',
    'ablation.zab.noEpochFencing.name': '不做 epoch 隔离',
    'ablation.zab.noEpochFencing.desc': 'learner 接受 epoch 比自己已接受的 epoch 更旧的领导者，而不是拒绝它。单独关掉它不会破坏 ZAB 的不变式：新 epoch 总是高于一个过半集合里所有已接受的 epoch。',
    'ablation.zab.commitEarly.name': '提前提交',
    'ablation.zab.commitEarly.desc': '领导者自己的日志写完就提交提案，不等过半 ACK。',
    'ablation.zab.noTrunc.name': '不做 TRUNC',
    'ablation.zab.noTrunc.desc': '日志超出新领导者的 learner 收到 DIFF 而不是 TRUNC，保留了没人提交过的事务。',
    'ablation.zab.voteByMyid.name': '只按 myid 投票',
    'ablation.zab.voteByMyid.desc': '选举只按 myid 比较选票，忽略 epoch 和 zxid，因此日志更短的服务器也能胜出。单独关掉它不会破坏不变式：只要有跟随者比它新，胜出者就无法确立 epoch（停滞，而非丢失）。',
    'ablation.zab.noFinalizeWait.name': '不等 finalizeWait',
    'ablation.zab.noFinalizeWait.desc': '选举一旦有过半数同意就立刻决定，不再等待 finalizeWait 看是否有更好的选票。单独关掉它不会破坏不变式：过半集合必然相交；选举只是更早结束，选出较差的领导者。',
    'ablation.twopc.presumeCommit.name': '推定提交',
    'ablation.twopc.presumeCommit.desc': '协调者对没有收齐投票的事务、以及重启后发现尚未决定的事务，提交而不是中止。',
    'ablation.paxos.forgetPromise.name': '忘记承诺',
    'ablation.paxos.forgetPromise.desc': '接受者重启后承诺被重置，就像从未写入磁盘一样，所以可能接受它曾承诺忽略的 ballot。',
    'ev.acceptsOlderEpoch': '接受 epoch {epoch}，它比已接受的 epoch {accepted} 更旧（故意制造的缺陷）',
  },
} as const;
