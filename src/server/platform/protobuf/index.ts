export { ProtobufError, readMessage, WireField, WireReader, type WireType } from './wire-reader.js';
export { WireWriter } from './wire-writer.js';
