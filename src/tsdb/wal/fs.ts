import * as fs from 'node:fs';

/** WALFileSystem is the file I/O the WAL writer uses; tests inject failures (ENOSPC) through it. */
export interface WALFileSystem {
  /** open opens a file for writing, creating it when missing (never truncating); resolves to an fd. */
  open(path: string): Promise<number>;
  /** write writes buf[offset, offset+length) at file position; resolves to the bytes written. */
  write(fd: number, buf: Buffer, offset: number, length: number, position: number): Promise<number>;
  /** fdatasync makes the written data durable. */
  fdatasync(fd: number): Promise<void>;
  /** ftruncate cuts the file to len bytes. */
  ftruncate(fd: number, len: number): Promise<void>;
  /** close closes the fd. */
  close(fd: number): Promise<void>;
  /** unlink removes a file. */
  unlink(path: string): Promise<void>;
  /** syncDir fsyncs a directory so created or removed entries are durable. */
  syncDir(path: string): Promise<void>;
}

/** cb adapts a Node callback to a promise. */
function cb<T>(run: (done: (err: NodeJS.ErrnoException | null, v?: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => run((err, v) => (err ? reject(err) : resolve(v as T))));
}

/** nodeFileSystem is the real file system, through Node's callback API (one libuv request per call). */
export const nodeFileSystem: WALFileSystem = {
  open: (path) => cb<number>((d) => fs.open(path, fs.constants.O_WRONLY | fs.constants.O_CREAT, 0o666, d)),
  write: (fd, buf, offset, length, position) => cb<number>((d) => fs.write(fd, buf, offset, length, position, (err, n) => d(err, n))),
  fdatasync: (fd) => cb<void>((d) => fs.fdatasync(fd, d)),
  ftruncate: (fd, len) => cb<void>((d) => fs.ftruncate(fd, len, d)),
  close: (fd) => cb<void>((d) => fs.close(fd, d)),
  unlink: (path) => cb<void>((d) => fs.unlink(path, d)),
  syncDir: async (path) => {
    const fd = await cb<number>((d) => fs.open(path, fs.constants.O_RDONLY, d));
    try {
      await cb<void>((d) => fs.fsync(fd, d));
    } finally {
      await cb<void>((d) => fs.close(fd, d));
    }
  },
};
