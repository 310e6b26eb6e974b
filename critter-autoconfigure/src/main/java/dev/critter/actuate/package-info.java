/** Spring Boot actuator endpoints and health for Critter (active when the actuator is on the class path). */
@NullMarked
package dev.critter.actuate;

import org.jspecify.annotations.NullMarked;
