'use strict';
// The engine worker in Node (worker_threads): the engine service on the
// parent port, with UDP host sockets and TURN streams (engine-service.cjs).
const { parentPort } = require('worker_threads');
const { load } = require('../../js/core/module.cjs');
const { createEngineService } = require('./engine-service.cjs');
const { openPeerTransports } = require('./transports.cjs');

const limitMb = Number(process.env.WASMRTC_ENGINE_HEAP_LIMIT_MB);
const onMessage = createEngineService(load(), (msg, transfer) => parentPort.postMessage(msg, transfer),
  openPeerTransports, {
    ...(Number.isFinite(limitMb) && limitMb > 0 ? { heapLimit: limitMb * 1024 * 1024 } : {}),
    // A registered codec's module: a file: URL (js/webrtc/codecs.cjs resolves paths).
    importModule: (specifier) => import(specifier),
  });
parentPort.on('message', onMessage);
