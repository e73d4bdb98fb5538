//! Where the generator's bytes go: stages of a megabyte that it formats
//! rows into and hands to a sink, which writes them to a writer, or to a
//! file with direct I/O from a thread of its own.
//!
//! A large run writes gigabytes that nothing reads back soon. Through the
//! page cache, the kernel copies every byte into cache pages it must find
//! first (reclaiming others once free memory runs out) and writes them
//! back later: at 25 million electors that was 2.9-4.8 s of system time
//! against about 20 s of user time (0.5-1.3 s with direct I/O; the crate
//! README has the runs). With direct I/O the device reads the
//! bytes from the stages the rows were formatted into: no copy at all, and
//! a writer thread writes each full stage while the next one fills, so the
//! generator does not wait for the disk unless the disk falls behind.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

/// Direct I/O moves whole blocks between block-aligned memory and
/// block-aligned file offsets; 4096 bytes suits every device in use.
const ALIGN: usize = 4096;
/// Bytes of a full stage of a direct file: direct writes of a megabyte
/// keep the device busy with few system calls.
const STAGE: usize = 1 << 20;
/// Bytes of a full stage written to a writer: small enough to stay in the
/// processor's cache while rows are formatted into it and it is copied
/// out (fresh memory a megabyte at a time cost more than the copy).
const PLAIN_STAGE: usize = 64 << 10;
/// Room past a full stage: the generator checks for a full stage after
/// each row, so a stage holds at most one row (well under this) more.
const SLACK: usize = 64 << 10;
/// Stages of a direct file: one filling, the others written or waiting.
const STAGES: usize = 4;

/// `O_DIRECT`, where its value is known (Linux on x86-64); elsewhere the
/// files are written through the page cache.
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
const O_DIRECT: Option<i32> = Some(0o40000);
#[cfg(not(all(target_os = "linux", target_arch = "x86_64")))]
const O_DIRECT: Option<i32> = None;

/// Bytes on their way to a file: `mem[at..]`, where `mem[at]` is
/// block-aligned (what direct I/O needs) and the bytes before `at` are
/// padding; full at `size` bytes.
#[derive(Debug)]
pub(crate) struct Stage {
    pub(crate) mem: Vec<u8>,
    pub(crate) at: usize,
    pub(crate) size: usize,
}

impl Stage {
    /// An empty stage that is full at `size` bytes, with room for a row
    /// more.
    fn new(size: usize) -> Stage {
        let mut mem: Vec<u8> = Vec::with_capacity(size + ALIGN + SLACK);
        // `align_offset` may decline to compute (it does not for `u8`
        // pointers on the targets that have `O_DIRECT`); a stage that is
        // not aligned is aligned again before a direct write.
        let at = mem.as_ptr().align_offset(ALIGN).min(ALIGN);
        mem.resize(at, 0);
        Stage { mem, at, size }
    }

    /// The bytes gathered.
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.mem[self.at..]
    }

    pub(crate) fn len(&self) -> usize {
        self.mem.len() - self.at
    }

    pub(crate) fn is_full(&self) -> bool {
        self.len() >= self.size
    }

    /// Empties the stage (its memory is kept).
    fn clear(&mut self) {
        self.mem.truncate(self.at);
    }

    /// Appends as much of `buf` as fits in a full stage; returns how much.
    fn fill_from(&mut self, buf: &[u8]) -> usize {
        let n = (self.size - self.len().min(self.size)).min(buf.len());
        self.mem.extend_from_slice(&buf[..n]);
        n
    }

    /// Cuts a stage that holds more than a full stage back to one,
    /// moving the rest to `next` (empty).
    fn spill_into(&mut self, next: &mut Stage) {
        if self.len() > self.size {
            next.mem.extend_from_slice(&self.mem[self.at + self.size..]);
            self.mem.truncate(self.at + self.size);
        }
    }

    /// Whether the bytes start block-aligned (the memory may have moved if
    /// the stage grew past its room).
    fn aligned(&self) -> bool {
        self.mem.as_ptr().wrapping_add(self.at).align_offset(ALIGN) == 0
    }
}

/// A file's or a writer's end of the stages: the generator takes a stage,
/// formats rows into it and gives it back, full (to be written) or not (to
/// be filled further, by the next AC).
pub(crate) trait StageSink: Write {
    /// The stage to append to.
    fn take(&mut self) -> io::Result<Stage>;
    /// Gives back a stage taken: written if full (the bytes past a whole
    /// stage stay for the next), kept as the one to fill next otherwise.
    fn give(&mut self, stage: Stage) -> io::Result<()>;
}

/// Stages written to a writer (a file through the page cache, or memory).
pub(crate) struct PlainSink<W: Write> {
    out: W,
    stage: Option<Stage>,
}

impl<W: Write> PlainSink<W> {
    pub(crate) fn new(out: W) -> Self {
        PlainSink { out, stage: None }
    }

    /// Writes what is left and flushes; returns the writer.
    pub(crate) fn finish(mut self) -> io::Result<W> {
        if let Some(stage) = self.stage.take() {
            self.out.write_all(stage.bytes())?;
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

impl<W: Write> StageSink for PlainSink<W> {
    fn take(&mut self) -> io::Result<Stage> {
        Ok(self.stage.take().unwrap_or_else(|| Stage::new(PLAIN_STAGE)))
    }

    fn give(&mut self, mut stage: Stage) -> io::Result<()> {
        if stage.is_full() {
            self.out.write_all(stage.bytes())?;
            stage.clear();
        }
        self.stage = Some(stage);
        Ok(())
    }
}

impl<W: Write> Write for PlainSink<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut stage = self.take()?;
        let n = stage.fill_from(buf);
        self.give(stage)?;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        // Partial stages are kept until `finish`.
        Ok(())
    }
}

/// An output file: through the page cache, or with direct I/O.
pub(crate) enum OutFile {
    Plain(PlainSink<File>),
    Direct(DirectFile),
}

impl OutFile {
    /// Creates (or truncates) `path`: with direct I/O when `direct` and the
    /// file system accepts it, else through the page cache.
    pub(crate) fn create(path: &Path, direct: bool) -> io::Result<OutFile> {
        if direct && let Some(flag) = O_DIRECT {
            use std::os::unix::fs::OpenOptionsExt;
            let opened = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .custom_flags(flag)
                .open(path);
            // A file system without direct I/O (tmpfs) refuses the flag.
            if let Ok(file) = opened {
                return DirectFile::new(file).map(OutFile::Direct);
            }
        }
        Ok(OutFile::Plain(PlainSink::new(File::create(path)?)))
    }

    /// Writes what is left and closes the file.
    pub(crate) fn finish(self) -> io::Result<()> {
        match self {
            OutFile::Plain(p) => p.finish().map(drop),
            OutFile::Direct(d) => d.finish(),
        }
    }
}

impl StageSink for OutFile {
    fn take(&mut self) -> io::Result<Stage> {
        match self {
            OutFile::Plain(p) => p.take(),
            OutFile::Direct(d) => d.take(),
        }
    }

    fn give(&mut self, stage: Stage) -> io::Result<()> {
        match self {
            OutFile::Plain(p) => p.give(stage),
            OutFile::Direct(d) => d.give(stage),
        }
    }
}

impl Write for OutFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            OutFile::Plain(p) => p.write(buf),
            OutFile::Direct(d) => d.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A file written with direct I/O by a thread of its own: full stages go
/// to the thread and come back empty.
pub(crate) struct DirectFile {
    /// The stage to fill next, if not taken.
    stage: Option<Stage>,
    /// Full stages to the writer; `None` once closed.
    full: Option<SyncSender<Stage>>,
    /// Empty stages back from the writer.
    empty: Receiver<Stage>,
    /// Stages made so far (at most `STAGES`).
    made: usize,
    /// Bytes handed to the writer.
    sent: u64,
    writer: Option<JoinHandle<io::Result<File>>>,
}

impl DirectFile {
    fn new(file: File) -> io::Result<DirectFile> {
        let (full, to_write) = sync_channel::<Stage>(STAGES);
        let (give_back, empty) = sync_channel::<Stage>(STAGES);
        let writer = std::thread::Builder::new()
            .name("synth-writer".into())
            .spawn(move || -> io::Result<File> {
                let mut file = file;
                for mut stage in to_write {
                    file.write_all(stage.bytes())?;
                    stage.clear();
                    // The generator may have stopped taking stages back.
                    let _ = give_back.send(stage);
                }
                Ok(file)
            })?;
        Ok(DirectFile {
            stage: None,
            full: Some(full),
            empty,
            made: 0,
            sent: 0,
            writer: Some(writer),
        })
    }

    /// Why the writer thread stopped early.
    fn stopped(&mut self) -> io::Error {
        match self.close() {
            Ok(Ok(_)) => io::Error::other("the writer thread stopped"),
            Ok(Err(e)) | Err(e) => e,
        }
    }

    /// Stops the writer thread (once the stages sent are written) and
    /// returns its file, or its error as the inner result.
    fn close(&mut self) -> io::Result<io::Result<File>> {
        self.full = None;
        match self.writer.take() {
            Some(handle) => handle
                .join()
                .map_err(|_| io::Error::other("the writer thread panicked")),
            None => Err(io::Error::other("the writer thread is already closed")),
        }
    }

    /// Hands a stage to the writer thread, aligned.
    fn send(&mut self, stage: Stage) -> io::Result<()> {
        let stage = if stage.aligned() {
            stage
        } else {
            // The stage grew past its room and moved: copy it to one that
            // is aligned (does not happen with rows of the sizes made).
            let mut moved = Stage::new(STAGE);
            moved.mem.extend_from_slice(stage.bytes());
            moved
        };
        self.sent += stage.len() as u64;
        if self.full.as_ref().is_some_and(|tx| tx.send(stage).is_ok()) {
            Ok(())
        } else {
            Err(self.stopped())
        }
    }

    /// Writes the last stage, padded to a whole block, and cuts the file
    /// back to the bytes written.
    fn finish(mut self) -> io::Result<()> {
        let mut last = self.stage.take().unwrap_or_else(|| Stage::new(STAGE));
        let len = self.sent + last.len() as u64;
        let padded = last.len().next_multiple_of(ALIGN);
        last.mem.resize(last.at + padded, 0);
        self.send(last)?;
        let file = self.close()??;
        file.set_len(len)
    }
}

impl StageSink for DirectFile {
    fn take(&mut self) -> io::Result<Stage> {
        if let Some(stage) = self.stage.take() {
            return Ok(stage);
        }
        if self.made < STAGES {
            self.made += 1;
            return Ok(Stage::new(STAGE));
        }
        match self.empty.recv() {
            Ok(stage) => Ok(stage),
            // No stage back: the writer stopped.
            Err(_) => Err(self.stopped()),
        }
    }

    fn give(&mut self, stage: Stage) -> io::Result<()> {
        let mut stage = stage;
        while stage.is_full() {
            // Whole stages only: what is past one goes to the next.
            let mut next = self.take()?;
            stage.spill_into(&mut next);
            self.send(stage)?;
            stage = next;
        }
        self.stage = Some(stage);
        Ok(())
    }
}

impl Write for DirectFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut stage = self.take()?;
        let n = stage.fill_from(buf);
        self.give(stage)?;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for DirectFile {
    fn drop(&mut self) {
        // Not finished (an error elsewhere): stop the writer thread.
        if self.writer.is_some() {
            let _ = self.close();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes `0, 1, 2, ...` handed over in pieces of many sizes: tiny,
    /// across stage ends, several stages at once; every other piece
    /// through a stage taken and given back, like the generator's rows.
    fn write_pieces(out: &mut dyn StageSink, total: usize) -> Vec<u8> {
        let want: Vec<u8> = (0..total).map(|i| (i % 251) as u8).collect();
        let sizes = [1, 7, 4096, 5000, STAGE - 3, 1, STAGE + ALIGN + 11, 300_000];
        let (mut at, mut k) = (0, 0);
        while at < total {
            let n = sizes[k % sizes.len()].min(total - at);
            if k % 2 == 0 {
                out.write_all(&want[at..at + n]).expect("writes");
            } else {
                // Given back full or a little over (a row past it).
                let mut stage = out.take().expect("takes");
                for (j, &b) in want[at..at + n].iter().enumerate() {
                    stage.mem.push(b);
                    if stage.len() >= stage.size + j % 3 {
                        out.give(stage).expect("gives");
                        stage = out.take().expect("takes");
                    }
                }
                out.give(stage).expect("gives");
            }
            at += n;
            k += 1;
        }
        want
    }

    #[test]
    fn both_ways_write_every_byte_once() {
        let dir = tempfile::tempdir().expect("temp dir");
        for total in [0, 1, ALIGN, STAGE, 3 * STAGE + 1234, 7 * STAGE + ALIGN] {
            for direct in [false, true] {
                let path = dir.path().join(format!("out-{total}-{direct}"));
                let mut out = OutFile::create(&path, direct).expect("creates");
                let want = write_pieces(&mut out, total);
                out.finish().expect("finishes");
                let got = std::fs::read(&path).expect("reads");
                assert!(
                    got == want,
                    "{total} bytes, direct {direct}: {} read back",
                    got.len()
                );
            }
        }
        let mut memory = PlainSink::new(Vec::new());
        let want = write_pieces(&mut memory, 3 * STAGE + 77);
        assert!(memory.finish().expect("finishes") == want);
    }

    #[test]
    fn a_file_written_again_is_replaced() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("again");
        for (direct, total) in [(false, 5 * STAGE), (true, 3 * STAGE + 5), (true, 100)] {
            let mut out = OutFile::create(&path, direct).expect("creates");
            let want = write_pieces(&mut out, total);
            out.finish().expect("finishes");
            assert!(
                std::fs::read(&path).expect("reads") == want,
                "{direct} {total}"
            );
        }
    }

    #[test]
    fn an_unfinished_direct_file_stops_its_writer() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut out = OutFile::create(&dir.path().join("dropped"), true).expect("creates");
        write_pieces(&mut out, 2 * STAGE + 10);
        // Dropped without `finish` (an error elsewhere): the writer thread
        // is joined, nothing hangs.
        drop(out);
    }
}
