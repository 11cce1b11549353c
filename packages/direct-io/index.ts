export { DirectFileReader } from './direct-file-reader';
export { DirectFileWriter, type DirectFileWriterOptions, MAX_UNWRITTEN_BYTES } from './direct-file-writer';
