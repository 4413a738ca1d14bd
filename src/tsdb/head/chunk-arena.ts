/**
 * ChunkArena stores the bytes of head chunks in a few large shared slabs instead of one
 * ArrayBuffer per chunk (each of which costs ~250 bytes of V8 objects and malloc bookkeeping
 * besides its data, and fragments the malloc heap as chunks come and go). An open chunk
 * reserves a region at the end of the current slab and writes in place; when it closes, its
 * unused tail is given up and the written bytes stay where they are. Regions are addressed by
 * a numeric handle (slab id * ARENA_OFFSET_SPAN + offset). Space is never reused inside a
 * slab, so views handed to readers stay valid; a slab is dropped once every region in it has
 * been freed (and it is not the one being filled), and readers still holding a view keep its
 * buffer alive until they are done.
 */
export class ChunkArena {
  private slabs: (Uint8Array | null)[] = [];
  /** live counts the bytes of not-yet-freed regions per slab. */
  private live: number[] = [];
  private freeIds: number[] = [];
  private readonly ids = new Map<ArrayBufferLike, number>();
  private cur = -1;
  private pos = 0;
  private nextSize: number;
  private held = 0;

  constructor(
    /** minSlab is the size of the first slab; each new slab doubles up to maxSlab (small heads stay small). */
    private readonly minSlab = 16 * 1024,
    /** maxSlab is the largest slab; a region larger than it gets a slab of its own. */
    private readonly maxSlab = ARENA_OFFSET_SPAN,
  ) {
    if (maxSlab > ARENA_OFFSET_SPAN || minSlab > maxSlab || minSlab < 16) {
      throw new RangeError(`ChunkArena: need 16 <= minSlab (${minSlab}) <= maxSlab (${maxSlab}) <= ${ARENA_OFFSET_SPAN}`);
    }
    this.nextSize = minSlab;
  }

  /** reserve returns a zero-filled view of n bytes in a fresh region (free it with free(handleOf(view), n)). */
  reserve(n: number): Uint8Array {
    if (this.cur < 0 || this.pos + n > this.slabs[this.cur]!.length) this.newSlab(n);
    const id = this.cur;
    const off = this.pos;
    this.pos = off + n;
    this.live[id]! += n;
    return this.slabs[id]!.subarray(off, off + n);
  }

  /** add copies bytes into a fresh region and returns its handle. */
  add(bytes: Uint8Array): number {
    const v = this.reserve(bytes.length);
    v.set(bytes);
    return this.handleOf(v);
  }

  /** handleOf is the handle of a region given a view that starts at it. */
  handleOf(view: Uint8Array): number {
    const id = this.ids.get(view.buffer);
    if (id === undefined) throw new Error('ChunkArena: view is not in this arena');
    return id * ARENA_OFFSET_SPAN + view.byteOffset;
  }

  /** view returns n bytes of the region with handle h (a view, no copy). */
  view(h: number, n: number): Uint8Array {
    const id = Math.floor(h / ARENA_OFFSET_SPAN);
    const off = h - id * ARENA_OFFSET_SPAN;
    const slab = this.slabs[id];
    if (slab === null || slab === undefined) throw new Error(`ChunkArena: region ${h} is in a released slab`);
    return slab.subarray(off, off + n);
  }

  /** free gives up n bytes of the region at handle h (all of it, or its unused tail); the slab goes when nothing in it is live. */
  free(h: number, n: number): void {
    if (n === 0) return;
    const id = Math.floor(h / ARENA_OFFSET_SPAN);
    const left = (this.live[id]! -= n);
    if (left < 0) throw new Error(`ChunkArena: slab ${id} freed more than it holds`);
    if (left === 0 && id !== this.cur) this.release(id);
  }

  /** allocator is a BufferAllocator for chunks written in place: grown buffers come from the arena and the old region is freed. */
  allocator(): (minBytes: number, old: Uint8Array) => Uint8Array {
    return (minBytes, old) => {
      const next = this.reserve(minBytes);
      if (old.length > 0) this.free(this.handleOf(old), old.length);
      return next;
    };
  }

  /** bytesHeld is the total size of the slabs held. */
  bytesHeld(): number {
    return this.held;
  }

  /** bytesLive is the total size of the regions not freed. */
  bytesLive(): number {
    let n = 0;
    for (let i = 0; i < this.slabs.length; i++) if (this.slabs[i] !== null) n += this.live[i]!;
    return n;
  }

  /** numSlabs is the number of slabs held. */
  numSlabs(): number {
    return this.slabs.length - this.freeIds.length;
  }

  private newSlab(need: number): void {
    const prev = this.cur;
    let size = this.nextSize;
    if (this.nextSize < this.maxSlab) this.nextSize = Math.min(this.maxSlab, this.nextSize * 2);
    if (need > size) size = need;
    const id = this.freeIds.pop() ?? this.slabs.length;
    const slab = new Uint8Array(size);
    this.slabs[id] = slab;
    this.ids.set(slab.buffer, id);
    this.live[id] = 0;
    this.held += size;
    this.cur = id;
    this.pos = 0;
    if (prev >= 0 && this.live[prev] === 0) this.release(prev);
  }

  private release(id: number): void {
    const slab = this.slabs[id]!;
    this.held -= slab.length;
    this.ids.delete(slab.buffer);
    this.slabs[id] = null;
    this.freeIds.push(id);
  }
}

/** ARENA_OFFSET_SPAN is the handle space of one slab (handle = slab id * span + offset): 1 MiB. */
export const ARENA_OFFSET_SPAN = 1 << 20;
