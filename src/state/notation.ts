/**
 * How the page writes a protocol's values: ZooKeeper's zxid as epoch:counter (its hex, as
 * ZooKeeper prints it, on hover), a vote as a Notification carries it, an action in the action
 * language. The core owns the notation; the page takes it from here.
 */
export { zxidHex, zxidShort, makeZxid as zxidOf, NO_ZXID } from '../core/zk/zxid';
export { voteLabel } from '../core/zk/face';
export { formatAction } from '../core/scenario/actionText';
