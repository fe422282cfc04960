/**
 * The one place that knows io_uring, epoll and NIO: the gateway's listener and upstream pools, its
 * Redis client threads, the load tool and the tests take their loops and channel types from here.
 */
package io.edgegateway.transport;
