package dev.critter.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * A test's Spring Boot application on plain JDBC: Boot's auto-configuration without JPA. Hibernate
 * and Spring Data JPA are on the test classpath for the JPA tests; left on, they would make the
 * transaction manager a {@code JpaTransactionManager} and want entities. So the application's
 * transaction manager is Boot's {@code JdbcTransactionManager}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration(excludeName = {
        "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
        "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration"})
public @interface JdbcTestApplication {
}
