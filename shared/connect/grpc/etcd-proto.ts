// etcd's gRPC services for grpc-js, built from a protobufjs JSON description precompiled at build time.
// scripts/build.mjs puts this in place of etcd3's run-time `.proto` loading (proto-loader parses the text files and
// encodes reflection descriptors on every start, ~18 ms a run that a client never uses). Same wire behaviour: the
// options below are etcd3's own (keepCase is applied when the JSON is made). Methods are also registered under their
// lower-camel names as etcd3 calls them, so `hashKV` resolves (proto-loader's lodash camelCase made it `hashKv`).

import * as protobuf from 'protobufjs';
import type { ServiceDefinition } from '@grpc/grpc-js';

type PackageDefinition = Record<string, ServiceDefinition>;

/** How etcd3 converts decoded messages: int64 as decimal strings, enums by name, defaults filled in. */
const TO_OBJECT: protobuf.IConversionOptions = { longs: String, enums: String, defaults: true, oneofs: true };

function lowerCamel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function serializer(type: protobuf.Type): (value: object) => Buffer {
  return (value) => Buffer.from(type.encode(type.fromObject(value)).finish());
}

function deserializer(type: protobuf.Type): (bytes: Buffer) => object {
  return (bytes) => type.toObject(type.decode(bytes), TO_OBJECT);
}

function serviceDefinition(service: protobuf.Service, fullName: string): ServiceDefinition {
  const methods: Record<string, ServiceDefinition[string]> = {};
  for (const method of service.methodsArray) {
    const request = method.resolvedRequestType as protobuf.Type;
    const response = method.resolvedResponseType as protobuf.Type;
    methods[method.name] = {
      path: `/${fullName}/${method.name}`,
      requestStream: method.requestStream === true,
      responseStream: method.responseStream === true,
      requestSerialize: serializer(request),
      requestDeserialize: deserializer(request),
      responseSerialize: serializer(response),
      responseDeserialize: deserializer(response),
      originalName: lowerCamel(method.name),
    };
  }
  return methods;
}

/** Every service in the description, keyed by its full name (e.g. etcdserverpb.KV), as grpc-js expects. */
export function packageDefinitionFromJson(json: protobuf.INamespace): PackageDefinition {
  const root = protobuf.Root.fromJSON(json);
  root.resolveAll();
  const definition: PackageDefinition = {};
  const visit = (namespace: protobuf.NamespaceBase, prefix: string): void => {
    for (const nested of namespace.nestedArray) {
      const fullName = prefix ? `${prefix}.${nested.name}` : nested.name;
      if (nested instanceof protobuf.Service) definition[fullName] = serviceDefinition(nested, fullName);
      else if (nested instanceof protobuf.Namespace) visit(nested, fullName);
    }
  };
  visit(root, '');
  return definition;
}

/** Reads etcd3's .proto files into the JSON description (done at build time). */
export function protoJson(rpcProtoPath: string): protobuf.INamespace {
  const root = new protobuf.Root();
  root.loadSync(rpcProtoPath, { keepCase: true });
  return root.toJSON();
}
