#!/bin/sh
# eilint fixture: the memory settings of a tuned start script
JVM_MEM_OPTS="-Xms256m -Xmx1024m -XX:MaxPermSize=256m"
export JVM_MEM_OPTS
