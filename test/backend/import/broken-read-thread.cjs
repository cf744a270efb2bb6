// A read thread whose code fails to load (read-thread.test.ts): it never starts, so the file
// is read on the writing thread instead.
throw new Error('this read thread cannot load');
